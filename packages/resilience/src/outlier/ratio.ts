import type { FailurePercentageConfig, SuccessRateConfig } from './policy.js'
import type { EndpointMonitor } from './monitor.js'

/** An endpoint judged by a ratio check, with its success rate (0..100) over the last interval. */
export interface RatedEndpoint {
  readonly monitor: EndpointMonitor
  readonly successRate: number
}

/**
 * Envoy's success-rate outlier threshold (DetectorImpl::successRateEjectionThreshold): the mean
 * success rate of the endpoints judged, less `stdevFactor` population standard deviations. With
 * rates {50, 100, 100, 100, 100} and factor 1.9: mean 90, stdev 20, threshold 52.
 */
export function successRateThreshold(rates: readonly number[], stdevFactor: number): { readonly mean: number; readonly threshold: number } {
  const mean = rates.reduce((sum, rate) => sum + rate, 0) / rates.length
  const variance = rates.reduce((sum, rate) => sum + (rate - mean) ** 2, 0) / rates.length
  return { mean, threshold: mean - stdevFactor * Math.sqrt(variance) }
}

/**
 * The endpoints that fail success-rate detection (DetectorImpl::processSuccessRateEjections):
 * only endpoints with at least `requestVolume` requests in the last interval are judged, and none
 * when fewer than `minimumHosts` are; an endpoint below the threshold is an outlier.
 */
export function successRateOutliers(candidates: readonly RatedEndpoint[], config: SuccessRateConfig): RatedEndpoint[] {
  const judged = candidates.filter((endpoint) => endpoint.monitor.previous.total >= config.requestVolume)
  if (judged.length === 0 || judged.length < config.minimumHosts) return []
  const { threshold } = successRateThreshold(judged.map((endpoint) => endpoint.successRate), config.stdevFactor)
  return judged.filter((endpoint) => endpoint.successRate < threshold)
}

/**
 * The endpoints that fail failure-percentage detection: among endpoints with enough volume (and
 * at least `minimumHosts` of them), those failing `thresholdPercent` or more of their requests.
 */
export function failurePercentageOutliers(candidates: readonly RatedEndpoint[], config: FailurePercentageConfig): RatedEndpoint[] {
  const judged = candidates.filter((endpoint) => endpoint.monitor.previous.total >= config.requestVolume)
  if (judged.length === 0 || judged.length < config.minimumHosts) return []
  return judged.filter((endpoint) => 100 - endpoint.successRate >= config.thresholdPercent)
}
