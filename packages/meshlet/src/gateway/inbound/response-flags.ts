import { LOCAL_REASONS } from '@meshlet/core'

/**
 * Envoy's response flag for the reason meshlet answered a request itself (envoy docs
 * configuration/observability/access_log/usage, %RESPONSE_FLAGS%); `-` for an upstream's answer.
 */
const FLAGS: Readonly<Record<string, string>> = {
  [LOCAL_REASONS.noRoute]: 'NR',
  [LOCAL_REASONS.unknownSubset]: 'NC',
  [LOCAL_REASONS.noHealthyUpstream]: 'UH',
  [LOCAL_REASONS.timeout]: 'UT',
  [LOCAL_REASONS.perTryTimeout]: 'UT',
  [LOCAL_REASONS.overflow]: 'UO',
  [LOCAL_REASONS.faultAbort]: 'FI',
  [LOCAL_REASONS.circuitOpen]: 'UO',
  [LOCAL_REASONS.invalidBackend]: 'NC',
  'connect-failure': 'UF',
  'connect-timeout': 'UF',
  'reset-before-request': 'UF',
  reset: 'UC',
  'refused-stream': 'UR',
}

export function responseFlagsOf(localReason: string | undefined): string {
  if (localReason === undefined) return '-'
  return FLAGS[localReason] ?? '-'
}
