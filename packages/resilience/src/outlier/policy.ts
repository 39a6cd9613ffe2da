/**
 * DestinationRule `outlierDetection` as compiled (the same field names as CompiledOutlierDetection
 * in @meshlet/rules, which this package does not import).
 */
export interface OutlierConfig {
  /** 0 disables the check. */
  readonly consecutive5xxErrors: number
  /** 0 disables the check (Istio's default). */
  readonly consecutiveGatewayErrors: number
  /** Only with splitExternalLocalOriginErrors. */
  readonly consecutiveLocalOriginFailures: number
  readonly splitExternalLocalOriginErrors: boolean
  readonly intervalMs: number
  readonly baseEjectionTimeMs: number
  readonly maxEjectionPercent: number
  /** Panic threshold: below this share of healthy endpoints, ejected ones are used again. */
  readonly minHealthPercent: number
  /** outlierDetectionHttpErrorCodes: when set, only these codes count as errors. */
  readonly httpErrorCodes: readonly number[] | undefined
}

/** Envoy's success-rate ejection, from `meshlet.io/outlier-detection` (same fields as the rules package's SuccessRateEjection). */
export interface SuccessRateConfig {
  readonly minimumHosts: number
  readonly requestVolume: number
  /** Already divided by 1000: Envoy's success_rate_stdev_factor 1900 is 1.9 here. */
  readonly stdevFactor: number
  readonly enforcingPercent: number
}

/** Envoy's failure-percentage ejection, from `meshlet.io/outlier-detection`. */
export interface FailurePercentageConfig {
  readonly thresholdPercent: number
  readonly minimumHosts: number
  readonly requestVolume: number
  readonly enforcingPercent: number
}

/** `meshlet.io/outlier-detection` as compiled (the rules package's OutlierDetectionExtension). */
export interface OutlierExtensionConfig {
  /** The sweep interval when the DestinationRule has no outlierDetection block of its own. */
  readonly intervalMs: number
  readonly successRate: SuccessRateConfig | undefined
  readonly failurePercentage: FailurePercentageConfig | undefined
}

/**
 * What applies when a DestinationRule has only the `meshlet.io/outlier-detection` annotation and no
 * `outlierDetection` block: ratio ejection alone (consecutive checks off), with Envoy's defaults for
 * the rest (envoy api/envoy/config/cluster/v3/outlier_detection.proto: base_ejection_time 30 s,
 * max_ejection_percent 10 %) and Istio's panic threshold of 0 %.
 */
export const RATIO_ONLY_OUTLIER: OutlierConfig = Object.freeze({
  consecutive5xxErrors: 0,
  consecutiveGatewayErrors: 0,
  consecutiveLocalOriginFailures: 0,
  splitExternalLocalOriginErrors: false,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 10,
  minHealthPercent: 0,
  httpErrorCodes: undefined,
})

/**
 * Envoy's max_ejection_time default, 300 s, or the base ejection time when that is longer
 * (outlier_detection.proto; Istio does not expose the field).
 */
export const DEFAULT_MAX_EJECTION_TIME_MS = 300_000

export function maxEjectionTimeMs(config: OutlierConfig): number {
  return Math.max(DEFAULT_MAX_EJECTION_TIME_MS, config.baseEjectionTimeMs)
}
