import type { ValidationInput } from '../context.js'
import { readObject } from '../common/read.js'

/** Validates a VirtualService as Istio's CRD schema and admission webhook would. */
export function validateVirtualService({ root }: ValidationInput): void {
  readObject(root.at('spec'), [])
}
