import type { ValidationInput } from '../context.js'
import { readObject } from '../common/read.js'

/** Validates a WorkloadEntry as Istio's CRD schema and admission webhook would. */
export function validateWorkloadEntry({ root }: ValidationInput): void {
  readObject(root.at('spec'), [])
}
