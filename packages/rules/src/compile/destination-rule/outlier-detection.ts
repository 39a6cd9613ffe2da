import type { OutlierDetection } from '../../spec/destination-rule.js'
import type { CompiledOutlierDetection } from '../snapshot.js'
import { durationMs } from '../duration.js'

/**
 * Defaults when a DestinationRule has an `outlierDetection` block (`cluster_traffic_policy.go`
 * applyOutlierDetection; Envoy `outlier_detection.proto`; reference §14): 5 consecutive 5xx,
 * gateway-error detection off, 10 s interval, 30 s base ejection, at most 10 % ejected, and a
 * panic threshold of 0 %.
 */
export const DEFAULT_OUTLIER_DETECTION: CompiledOutlierDetection = {
  consecutive5xxErrors: 5,
  consecutiveGatewayErrors: 0,
  consecutiveLocalOriginFailures: 5,
  splitExternalLocalOriginErrors: false,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 10,
  minHealthPercent: 0,
  httpErrorCodes: undefined,
}

/** No block, no outlier detection. An explicit 0 for consecutive5xxErrors disables that check. */
export function compileOutlierDetection(spec: OutlierDetection | undefined): CompiledOutlierDetection | undefined {
  if (!spec) return undefined
  const defaults = DEFAULT_OUTLIER_DETECTION
  // The deprecated consecutiveErrors maps to gateway errors only (reference §18.4).
  const legacyGateway = typeof spec.consecutiveErrors === 'number' && spec.consecutiveErrors > 0 ? spec.consecutiveErrors : undefined
  return {
    consecutive5xxErrors: spec.consecutive5xxErrors ?? defaults.consecutive5xxErrors,
    consecutiveGatewayErrors: spec.consecutiveGatewayErrors ?? legacyGateway ?? defaults.consecutiveGatewayErrors,
    consecutiveLocalOriginFailures: spec.consecutiveLocalOriginFailures ?? defaults.consecutiveLocalOriginFailures,
    splitExternalLocalOriginErrors: spec.splitExternalLocalOriginErrors ?? defaults.splitExternalLocalOriginErrors,
    intervalMs: durationMs(spec.interval) || defaults.intervalMs,
    baseEjectionTimeMs: durationMs(spec.baseEjectionTime) || defaults.baseEjectionTimeMs,
    // Istio sets max_ejection_percent only when > 0, so 0 keeps Envoy's 10 %.
    maxEjectionPercent: spec.maxEjectionPercent && spec.maxEjectionPercent > 0 ? spec.maxEjectionPercent : defaults.maxEjectionPercent,
    minHealthPercent: spec.minHealthPercent ?? defaults.minHealthPercent,
    httpErrorCodes: spec.outlierDetectionHttpErrorCodes && spec.outlierDetectionHttpErrorCodes.length > 0 ? [...spec.outlierDetectionHttpErrorCodes] : undefined,
  }
}
