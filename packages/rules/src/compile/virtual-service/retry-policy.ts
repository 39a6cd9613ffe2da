import { deepFreeze } from '../freeze.js'
import type { HTTPRetry } from '../../spec/virtual-service.js'
import type { CompiledRetryPolicy } from '../snapshot.js'
import { durationMs } from '../duration.js'

/**
 * Istio's default HTTP retry policy, used when a route has no `retries` block and for hosts with no
 * VirtualService (`istio:pilot/pkg/networking/core/route/retry/retry.go` defaultPolicy/DefaultPolicy,
 * reference §6.4): 2 retries on connect-failure, refused-stream, unavailable and cancelled, plus
 * retriable-status-codes with no codes (503 was dropped in Istio 1.24, #52111), avoiding hosts
 * already tried; Envoy's backoff of 25 ms base and 10× base as the cap (Envoy router doc).
 */
export const DEFAULT_RETRY = {
  attempts: 2,
  retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
  backoffBaseMs: 25,
  /** Envoy: max_interval defaults to 10 × base_interval. */
  backoffMaxFactor: 10,
} as const

/** Codes Go's net/http.StatusText names: Istio treats only these retryOn integers as status codes. */
const REGISTERED_HTTP_STATUS = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423,
  424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
])

/** Istio's default policy, one frozen object for each value of the previous-hosts flag (shared by every route without `retries`). */
export function buildDefaultRetryPolicy(avoidPreviousHosts: boolean): CompiledRetryPolicy {
  return (DEFAULT_POLICIES[avoidPreviousHosts ? 1 : 0] ??= deepFreeze(defaultRetryPolicy(avoidPreviousHosts)))
}

const DEFAULT_POLICIES: Array<CompiledRetryPolicy | undefined> = [undefined, undefined]

function defaultRetryPolicy(avoidPreviousHosts: boolean): CompiledRetryPolicy {
  const { retryOn } = parseRetryOn(DEFAULT_RETRY.retryOn)
  return {
    attempts: DEFAULT_RETRY.attempts,
    perTryTimeoutMs: undefined,
    retryOn,
    retriableStatusCodes: [],
    retryRemoteLocalities: false,
    avoidPreviousHosts,
    backoffBaseMs: DEFAULT_RETRY.backoffBaseMs,
    backoffMaxMs: DEFAULT_RETRY.backoffBaseMs * DEFAULT_RETRY.backoffMaxFactor,
    isDefault: true,
  }
}

/**
 * Istio's ConvertPolicy (`retry.go`): no block → the default; `attempts` ≤ 0 → retries disabled;
 * otherwise the default with the user's fields laid over it. With consistent-hash balancing Istio
 * starts from the default without the previous-hosts predicate (#50759), unless the route says
 * `retryIgnorePreviousHosts`.
 */
export function compileRetryPolicy(spec: HTTPRetry | undefined, consistentHash: boolean): CompiledRetryPolicy {
  const base = buildDefaultRetryPolicy(!consistentHash)
  if (!spec) return base
  const attempts = typeof spec.attempts === 'number' ? spec.attempts : 0
  if (attempts <= 0) {
    return { ...base, attempts: 0, retryOn: [], retriableStatusCodes: [], avoidPreviousHosts: false, isDefault: false }
  }
  const parsed = spec.retryOn ? parseRetryOn(spec.retryOn) : { retryOn: base.retryOn, retriableStatusCodes: base.retriableStatusCodes }
  const backoffBaseMs = durationMs(spec.backoff) ?? DEFAULT_RETRY.backoffBaseMs
  return {
    attempts,
    perTryTimeoutMs: durationMs(spec.perTryTimeout),
    retryOn: parsed.retryOn,
    retriableStatusCodes: parsed.retriableStatusCodes,
    retryRemoteLocalities: spec.retryRemoteLocalities === true,
    avoidPreviousHosts: spec.retryIgnorePreviousHosts ?? base.avoidPreviousHosts,
    backoffBaseMs,
    backoffMaxMs: backoffBaseMs * DEFAULT_RETRY.backoffMaxFactor,
    isDefault: false,
  }
}

/**
 * Splits retryOn as Istio's parseRetryOn does: trimmed tokens; integers that are registered HTTP
 * statuses become retriable status codes, and `retriable-status-codes` is added when codes are
 * given without it.
 */
export function parseRetryOn(text: string): { retryOn: string[]; retriableStatusCodes: number[] } {
  const retryOn: string[] = []
  const retriableStatusCodes: number[] = []
  for (const part of text.split(',')) {
    const token = part.trim()
    if (token === '') continue
    const code = /^\d+$/.test(token) ? Number(token) : NaN
    if (REGISTERED_HTTP_STATUS.has(code)) retriableStatusCodes.push(code)
    else retryOn.push(token)
  }
  if (retriableStatusCodes.length > 0 && !retryOn.includes('retriable-status-codes')) retryOn.push('retriable-status-codes')
  return { retryOn, retriableStatusCodes }
}
