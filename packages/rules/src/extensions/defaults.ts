/**
 * Defaults of meshlet's extensions, one object per concern.
 */

/**
 * Success-rate ejection, Envoy's defaults (`envoy:api/envoy/config/cluster/v3/outlier_detection.proto`:
 * success_rate_minimum_hosts 5, success_rate_request_volume 100, success_rate_stdev_factor 1900,
 * enforcing_success_rate 100).
 */
export const DEFAULT_SUCCESS_RATE = { minimumHosts: 5, requestVolume: 100, stdevFactorThousandths: 1900, enforcingPercent: 100 } as const

/**
 * Failure-percentage ejection, Envoy's defaults (same proto: failure_percentage_threshold 85,
 * failure_percentage_minimum_hosts 5, failure_percentage_request_volume 50). Envoy's
 * enforcing_failure_percentage defaults to 0 because the whole mechanism is opt-in there; writing
 * the `failurePercentage` block is the opt-in here, so it is enforced at 100 unless told otherwise.
 */
export const DEFAULT_FAILURE_PERCENTAGE = { thresholdPercent: 85, minimumHosts: 5, requestVolume: 50, enforcingPercent: 100 } as const

/** Envoy's outlier detection `interval` default, 10 s (same proto). */
export const DEFAULT_OUTLIER_INTERVAL_MS = 10_000

/**
 * The error-ratio breaker, opossum 9's defaults (`opossum/lib/circuit.js`: errorThresholdPercentage
 * 50, volumeThreshold 0, resetTimeout 30000, rollingCountTimeout 10000, rollingCountBuckets 10).
 * opossum lets a single trial call through when half-open, hence halfOpenMaxRequests 1.
 */
export const DEFAULT_CIRCUIT_BREAKER = {
  errorThresholdPercentage: 50,
  volumeThreshold: 0,
  resetTimeoutMs: 30_000,
  rollingCountTimeoutMs: 10_000,
  rollingCountBuckets: 10,
  halfOpenMaxRequests: 1,
} as const

/** Peak EWMA decay, Finagle's default decayTime of 10 s (`Balancers.p2cPeakEwma`). */
export const DEFAULT_PEAK_EWMA = { decayMs: 10_000 } as const
