/**
 * 2^32 − 1: what Istio sets for every connection pool threshold it is not given, meaning "no limit"
 * (istio pilot/pkg/networking/core/cluster_traffic_policy.go getDefaultCircuitBreakerThresholds).
 * The one copy: the compiler fills defaults with it and the data plane reads it back.
 */
export const UNLIMITED = 4_294_967_295

/** Whether a compiled threshold limits anything (0 means unset in Istio, so no limit either). */
export function isLimited(value: number): boolean {
  return value > 0 && value < UNLIMITED
}
