/**
 * A route's retry policy as compiled (the same field names as CompiledRetryPolicy in @meshlet/rules,
 * which this package does not import; the meshlet package passes the compiled object in).
 */
export interface RetryPolicyConfig {
  /** Retries after the first try (total tries = 1 + attempts); 0 disables retries. */
  readonly attempts: number
  /** Timeout of each try, the first included; undefined = only the route timeout bounds a try. */
  readonly perTryTimeoutMs: number | undefined
  /** Envoy retry_on policy names, e.g. ['connect-failure', 'refused-stream', 'unavailable', 'cancelled']. */
  readonly retryOn: readonly string[]
  /** Status codes for `retriable-status-codes` (Istio's integer retryOn tokens). */
  readonly retriableStatusCodes: readonly number[]
  /** Avoid endpoints already tried (Envoy's previous_hosts predicate); Istio's default is true. */
  readonly avoidPreviousHosts: boolean
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
  /**
   * Response header names for `retriable-headers` (Envoy retriable_headers with name-only matchers).
   * Istio has no field for them, so the token matches nothing unless names are given here.
   */
  readonly retriableHeaders?: readonly string[] | undefined
}

/**
 * The retry mechanics' own defaults, each with where it comes from. What a route's policy says
 * (attempts, retryOn, backoff) is compiled with its defaults by the rules package; these are only
 * what the mechanics decide.
 */
export const RETRY_DEFAULTS = Object.freeze({
  /** Envoy: the max interval defaults to 10 times the base (RetryStateImpl constructor). */
  maxBackoffFactor: 10,
  /** Envoy buffers a request for retries up to its buffer limit, 1 MiB by default (listener per_connection_buffer_limit_bytes). */
  replayLimitBytes: 1_048_576,
  /**
   * meshlet's own: a retry is not started with less time than this left before the deadline (after
   * its backoff); a try given a few milliseconds almost always times out and only loads the upstream.
   */
  minRemainingForRetryMs: 5,
})
