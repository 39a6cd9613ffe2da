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

/**
 * opossum 9's defaults (opossum lib/circuit.js constructor: errorThresholdPercentage 50,
 * volumeThreshold 0, resetTimeout 30000, rollingCountTimeout 10000, rollingCountBuckets 10); opossum
 * lets one trial call through when half-open.
 */
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerConfig = Object.freeze({
  errorThresholdPercentage: 50,
  volumeThreshold: 0,
  resetTimeoutMs: 30_000,
  rollingCountTimeoutMs: 10_000,
  rollingCountBuckets: 10,
  halfOpenMaxRequests: 1,
})

export type BreakerState = 'closed' | 'open' | 'half-open'
