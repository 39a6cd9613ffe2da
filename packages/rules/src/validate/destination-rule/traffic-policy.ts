import type { Field } from '../field.js'
import { readObject } from '../common/read.js'
import { validatePolicyBlocks } from './policy-blocks.js'
import { validatePortLevelSettings } from './port-level.js'
import { validateProxyProtocol, validateTunnel } from './tunnel.js'
import { validateRetryBudget } from './retry-budget.js'

const POLICY_FIELDS = [
  'loadBalancer',
  'connectionPool',
  'outlierDetection',
  'tls',
  'portLevelSettings',
  'tunnel',
  'proxyProtocol',
  'retryBudget',
] as const

/** Present and, for a list, not empty: protobuf reads `[]` the same as an absent list. */
function isSet(field: Field): boolean {
  return field.present && !(Array.isArray(field.value) && field.value.length === 0)
}

/**
 * A `trafficPolicy` (top level or subset): it must set something, tunnel and proxyProtocol exclude
 * each other (`validation.go` validateTrafficPolicy).
 */
export function validateTrafficPolicy(field: Field): void {
  if (!readObject(field, POLICY_FIELDS)) return
  if (!POLICY_FIELDS.some((key) => isSet(field.at(key)))) {
    field.error('DR_TRAFFIC_POLICY_EMPTY', `trafficPolicy sets nothing; set at least one of ${POLICY_FIELDS.join(', ')}, or remove it`)
  }
  if (field.at('tunnel').present && field.at('proxyProtocol').present) {
    field.at('proxyProtocol').error('DR_TUNNEL_WITH_PROXY_PROTOCOL', 'tunnel and proxyProtocol cannot be set together; keep one')
  }
  validatePolicyBlocks(field)
  validatePortLevelSettings(field.at('portLevelSettings'))
  validateTunnel(field.at('tunnel'))
  validateProxyProtocol(field.at('proxyProtocol'))
  validateRetryBudget(field.at('retryBudget'))
}
