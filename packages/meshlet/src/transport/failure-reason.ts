import type { FailureReason } from '@meshlet/core'

/** Error codes of a connection that never got established (Envoy UF: upstream connection failure). */
const CONNECT_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ECONNABORTED',
  // TLS handshake failures also fail the connection (Envoy reports them as UF as well).
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
])

/** undici's idle timers (headersTimeout, bodyTimeout) play Envoy's stream idle timeout: a try that timed out. */
const IDLE_TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/**
 * Names why a try failed, in the terms of Envoy's retryOn and outlier detection. `requestSent`
 * says whether the request had been written to a connection (it tells a reset before the request
 * from one after it). Errors that are not about the upstream (bad arguments) return undefined.
 */
export function failureReasonOf(error: unknown, requestSent: boolean): FailureReason | undefined {
  const code = errorCode(error)
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return undefined
  if (code === 'UND_ERR_ABORTED' || code === 'UND_ERR_ABORT' || code === 'ABORT_ERR') return 'cancelled'
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect-timeout'
  if (code !== undefined && CONNECT_FAILURE_CODES.has(code)) return 'connect-failure'
  if (code !== undefined && IDLE_TIMEOUT_CODES.has(code)) return 'per-try-timeout'
  return requestSent ? 'reset' : 'reset-before-request'
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, name } = error as { code?: unknown; name?: unknown }
  if (typeof code === 'string') return code
  return name === 'AbortError' ? 'ABORT_ERR' : undefined
}
