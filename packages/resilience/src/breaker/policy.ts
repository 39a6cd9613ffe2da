/**
 * `meshlet.io/circuit-breaker` as compiled (the same fields as the rules package's
 * CircuitBreakerExtension): opossum's knobs, durations in ms.
 */
export interface CircuitBreakerConfig {
  /** Opens when the share of failed calls in the window exceeds this percentage. */
  readonly errorThresholdPercentage: number
  /** Calls needed in the window before the breaker may open. */
  readonly volumeThreshold: number
  /** Time open before trial calls are let through (half-open). */
  readonly resetTimeoutMs: number
  /** Length of the rolling statistics window. */
  readonly rollingCountTimeoutMs: number
  /** Buckets the window is divided into. */
  readonly rollingCountBuckets: number
  /** Trial calls let through at once while half-open; the first to finish decides. */
  readonly halfOpenMaxRequests: number
}

export type BreakerState = 'closed' | 'open' | 'half-open'
