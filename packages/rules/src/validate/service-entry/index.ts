import type { ValidationInput } from '../context.js'
import { readObject } from '../common/read.js'

/** Validates a ServiceEntry as Istio's CRD schema and admission webhook would. */
export function validateServiceEntry({ root }: ValidationInput): void {
  readObject(root.at('spec'), [])
}
