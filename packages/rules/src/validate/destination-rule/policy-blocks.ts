import type { Field } from '../field.js'
import { validateClientTls } from '../common/tls.js'
import { validateLoadBalancer } from './load-balancer.js'
import { validateConnectionPool } from './connection-pool.js'
import { validateOutlierDetection } from './outlier-detection.js'

/** The blocks a traffic policy and a port-level policy share. */
export const POLICY_BLOCKS = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'] as const

/** loadBalancer, connectionPool, outlierDetection and tls of a policy or a port-level policy. */
export function validatePolicyBlocks(field: Field): void {
  // Locality failover is only honoured with outlier detection in the same policy (agent/validation.go).
  validateLoadBalancer(field.at('loadBalancer'), { hasOutlierDetection: field.at('outlierDetection').present })
  validateConnectionPool(field.at('connectionPool'))
  validateOutlierDetection(field.at('outlierDetection'))
  validateClientTls(field.at('tls'))
}
