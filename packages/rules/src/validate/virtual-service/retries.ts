import type { Field } from '../field.js'
import { readBool, readInt, readObject, readString } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import { INT32_MAX } from '../common/int32.js'
import { isRegisteredHttpStatus, parseStatusToken } from '../common/http-status.js'

/**
 * `retryOn` policies Istio accepts (`validation.go` supportedRetryOnPolicies): Envoy's
 * x-envoy-retry-on and x-envoy-retry-grpc-on values (Envoy router filter documentation).
 */
export const RETRY_ON_POLICIES: ReadonlySet<string> = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
])

const RETRY_KEYS = ['attempts', 'perTryTimeout', 'retryOn', 'retryRemoteLocalities', 'retryIgnorePreviousHosts', 'backoff'] as const

/**
 * `HTTPRetry` (`validation.go` validateHTTPRetry): attempts ≥ 0; attempts 0 (also when omitted)
 * disables retries, so perTryTimeout, retryOn or retryRemoteLocalities beside it are rejected;
 * durations ≥ 1 ms; each comma-separated retryOn token is a known policy or a registered HTTP
 * status code, with no spaces (the webhook does not trim them).
 */
export function validateRetries(field: Field): void {
  if (!readObject(field, RETRY_KEYS, 'an object like {attempts: 3, perTryTimeout: 2s}')) return
  const attemptsField = field.at('attempts')
  const attempts = readInt(attemptsField, { min: -INT32_MAX - 1, max: INT32_MAX })
  if (attempts !== undefined && attempts < 0) {
    attemptsField.error('RETRY_ATTEMPTS_NEGATIVE', `attempts ${attempts} is negative; use 0 to disable retries`)
  }
  readDuration(field.at('perTryTimeout'))
  readDuration(field.at('backoff'))
  readBool(field.at('retryRemoteLocalities'))
  readBool(field.at('retryIgnorePreviousHosts'))
  const retryOnField = field.at('retryOn')
  const retryOn = readString(retryOnField) ?? ''
  if (retryOn !== '') {
    for (const token of retryOn.split(',')) {
      const status = parseStatusToken(token)
      if (status !== undefined ? isRegisteredHttpStatus(status) : RETRY_ON_POLICIES.has(token)) continue
      retryOnField.error('RETRY_ON_INVALID', describeBadToken(token))
    }
  }
  const policySet = ['perTryTimeout', 'retryRemoteLocalities'].filter((key) => field.at(key).present)
  if (retryOn !== '') policySet.push('retryOn')
  // proto3 cannot tell an omitted attempts from 0.
  const retriesDisabled = attemptsField.present ? attempts === 0 : true
  if (retriesDisabled && policySet.length > 0) {
    const where = attemptsField.present ? attemptsField : field
    where.error(
      'RETRY_DISABLED_WITH_POLICY',
      `attempts is ${attemptsField.present ? '0' : 'omitted (0)'}, which disables retries, yet ${policySet.join(', ')} ${policySet.length === 1 ? 'is' : 'are'} set; set attempts to 1 or more, or remove ${policySet.length === 1 ? 'it' : 'them'}`,
    )
  }
}

function describeBadToken(token: string): string {
  if (token === '') return 'retryOn has an empty entry; separate policies with single commas, e.g. "5xx,reset"'
  if (token.trim() !== token) return `retryOn entry "${token}" has spaces; write the list without spaces, e.g. "5xx,reset"`
  if (parseStatusToken(token) !== undefined) return `retryOn status "${token}" is not a registered HTTP status code`
  return `"${token}" is not a retryOn policy; use one of ${[...RETRY_ON_POLICIES].join(', ')} or an HTTP status code such as 503`
}
