import type { FailureReason } from '../outcome/outcome.js'
import type { MeshResponseBody } from './body.js'
import type { MeshResponse } from './response.js'

/** The response header naming why meshlet answered a request itself. */
export const REASON_HEADER = 'x-meshlet-reason'

/**
 * Why meshlet answered locally, with the Envoy response flag each one corresponds to
 * (envoy docs: configuration/observability/access_log/usage, "%RESPONSE_FLAGS%").
 * Upstream failures (connect-failure, reset, ...) use the FailureReason itself as the reason.
 */
export const LOCAL_REASONS = {
  /** No route matched (NR): 404. */
  noRoute: 'no-route',
  /** The route names a subset no DestinationRule defines (NC): 503. */
  unknownSubset: 'unknown-subset',
  /** The destination has no endpoint to send to, or all are ejected (UH): 503. */
  noHealthyUpstream: 'no-healthy-upstream',
  /** The route timeout or the caller's deadline fired (UT): 504. */
  timeout: 'timeout',
  /** The per-try timeout fired on the last try (UT): 504. */
  perTryTimeout: 'per-try-timeout',
  /** A connection pool limit was hit (UO): 503, never retried. */
  overflow: 'overflow',
  /** A fault rule aborted the request (FI). */
  faultAbort: 'fault-abort',
  /** meshlet.io/circuit-breaker is open for the cluster (no Envoy flag: meshlet's own breaker; closest is UO): 503, never retried. */
  circuitOpen: 'circuit-open',
  /** A route with `directResponse` answered (no header added: it is the rule's intended answer). */
  directResponse: 'direct-response',
  /** A route with `redirect` answered (no header added). */
  redirect: 'redirect',
  /** A Gateway API backendRef that does not resolve (no Envoy flag; Istio answers 500 for it). */
  invalidBackend: 'invalid-backend',
  /** The gateway's inbound request body was larger than its limit: 413, as Envoy's buffer limit answers. */
  requestTooLarge: 'request-too-large',
} as const

export type LocalReason = (typeof LOCAL_REASONS)[keyof typeof LOCAL_REASONS] | FailureReason

/**
 * Envoy's default local reply body text for each reason (envoy source/common/http/utility and
 * router filter: "no healthy upstream", "upstream request timeout", "fault filter abort", ...).
 */
const REPLY_TEXT: Readonly<Record<string, string>> = {
  'no-route': '',
  'unknown-subset': 'no cluster for the requested subset',
  'no-healthy-upstream': 'no healthy upstream',
  timeout: 'upstream request timeout',
  'per-try-timeout': 'upstream request timeout',
  overflow: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
  'fault-abort': 'fault filter abort',
  'circuit-open': 'upstream circuit breaker open',
  'invalid-backend': 'backend not found or not permitted',
  'request-too-large': 'Payload Too Large',
  'connect-failure': 'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
  'connect-timeout': 'upstream connect error or disconnect/reset before headers. reset reason: connection timeout',
  'reset-before-request': 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
  reset: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
  'refused-stream': 'upstream connect error or disconnect/reset before headers. reset reason: remote refused stream reset',
}

/** Status Envoy answers with when a try ends without a response (router filter). */
export function statusForFailure(reason: FailureReason): number {
  return reason === 'timeout' || reason === 'per-try-timeout' ? 504 : 503
}

/**
 * A response meshlet makes itself for a routing or upstream failure: the status, a short text
 * body as Envoy gives, and `x-meshlet-reason`. `headers` are added (e.g. `x-envoy-overloaded`).
 */
export function localReply(status: number, reason: LocalReason, headers: Readonly<Record<string, string>> = {}): MeshResponse {
  const text = REPLY_TEXT[reason] ?? reason
  return {
    status,
    headers: text === ''
      ? { ...headers, [REASON_HEADER]: reason }
      : { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(text)), ...headers, [REASON_HEADER]: reason },
    body: text === '' ? null : bytesBody(text),
    localReason: reason,
  }
}

/** A body of one chunk (for local and direct responses). */
export function bytesBody(content: string | Uint8Array): MeshResponseBody {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content
  return {
    async *[Symbol.asyncIterator]() {
      yield bytes
    },
  }
}
