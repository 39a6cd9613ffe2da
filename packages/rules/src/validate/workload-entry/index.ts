import type { ValidationInput } from '../context.js'
import { validateWorkloadEndpoint } from './endpoint.js'

/**
 * Validates a WorkloadEntry as Istio's CRD schema and admission webhook would (`validation.go`
 * ValidateWorkloadEntry): the address may be an IP, a host name or a unix socket, since the entry
 * is not tied to one ServiceEntry's resolution.
 */
export function validateWorkloadEntry({ root }: ValidationInput): void {
  validateWorkloadEndpoint(root.at('spec'), { addressRule: 'any' })
}
