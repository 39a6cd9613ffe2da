/**
 * meshlet's own policies, configured with `meshlet.io/*` annotations on a DestinationRule
 * (DESIGN.md "Beyond Istio"). Values are parsed once, defaults filled in and durations in ms, so
 * the compiler copies them onto `CompiledTrafficPolicy.extensions` and layers never parse text.
 * Declared as type aliases (not interfaces) so they fit `Readonly<Record<string, unknown>>`.
 */

/** `meshlet.io/load-balancer`: PEAK_EWMA, or one of Istio's simple algorithms for symmetry. */
export type ExtensionLoadBalancer = 'PEAK_EWMA' | 'ROUND_ROBIN' | 'RANDOM' | 'LEAST_REQUEST' | 'PASSTHROUGH'

/** Envoy success-rate ejection (`envoy:api/envoy/config/cluster/v3/outlier_detection.proto`). */
export type SuccessRateEjection = {
  /** Hosts with enough volume needed before any host is judged (success_rate_minimum_hosts). */
  readonly minimumHosts: number
  /** Requests a host needs in one interval to be judged (success_rate_request_volume). */
  readonly requestVolume: number
  /** Ejected below mean − stdevFactor × stdev; Envoy's success_rate_stdev_factor / 1000 (1900 → 1.9). */
  readonly stdevFactor: number
  /** Chance in percent that a detected outlier is really ejected (enforcing_success_rate). */
  readonly enforcingPercent: number
}

/** Envoy failure-percentage ejection (same proto, failure_percentage_*). */
export type FailurePercentageEjection = {
  /** A host failing at least this percentage of its requests in one interval is ejected. */
  readonly thresholdPercent: number
  readonly minimumHosts: number
  readonly requestVolume: number
  /** Chance in percent that a detected outlier is really ejected (enforcing_failure_percentage). */
  readonly enforcingPercent: number
}

/** `meshlet.io/outlier-detection`: ratio-based ejection next to Istio's consecutive-error counters. */
export type OutlierDetectionExtension = {
  /** How often the ratios are computed and reset (Envoy `interval`). */
  readonly intervalMs: number
  /** Present when the annotation asks for success-rate ejection. */
  readonly successRate: SuccessRateEjection | undefined
  /** Present when the annotation asks for failure-percentage ejection. */
  readonly failurePercentage: FailurePercentageEjection | undefined
}

/** `meshlet.io/circuit-breaker`: an error-ratio breaker with opossum's knobs. */
export type CircuitBreakerExtension = {
  /** Opens when the error percentage in the window exceeds this. */
  readonly errorThresholdPercentage: number
  /** Calls needed in the window before the breaker may open. */
  readonly volumeThreshold: number
  /** Time open before letting trial calls through (half-open). */
  readonly resetTimeoutMs: number
  /** Length of the rolling statistics window. */
  readonly rollingCountTimeoutMs: number
  /** Buckets the window is divided into. */
  readonly rollingCountBuckets: number
  /** Trial calls let through while half-open. */
  readonly halfOpenMaxRequests: number
}

/** `meshlet.io/peak-ewma`: tuning of the PEAK_EWMA load metric. */
export type PeakEwmaExtension = {
  /** Time constant of the moving average of latency. */
  readonly decayMs: number
}

/** Every extension set on one resource; a property is present only when its annotation is. */
export type MeshletExtensions = {
  readonly loadBalancer?: ExtensionLoadBalancer
  readonly outlierDetection?: OutlierDetectionExtension
  readonly circuitBreaker?: CircuitBreakerExtension
  readonly peakEwma?: PeakEwmaExtension
  /** `meshlet.io/port` on a WorkloadEntry: its port for every service port its `ports` map does not name. */
  readonly port?: number
}

/** A problem with one annotation; `message` names the field inside the value when there is one. */
export type ExtensionProblem = {
  /** The full annotation key, e.g. `meshlet.io/circuit-breaker`. */
  readonly key: string
  readonly severity: 'error' | 'warning'
  /** ANNOTATION_UNKNOWN, ANNOTATION_SYNTAX or a field code (TYPE, RANGE, UNKNOWN_FIELD, DURATION, …). */
  readonly code: string
  readonly message: string
}

export type ParsedMeshletExtensions = {
  readonly extensions: MeshletExtensions
  readonly problems: readonly ExtensionProblem[]
}
