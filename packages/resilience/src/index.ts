// @meshlet/resilience: retries, timeouts and deadlines, pool limits, outlier detection, breakers and
// the one classifier they share, as layers typed on @meshlet/core's call and try state, which the
// data plane wires into its stack. See README.md.

// The one judgement of a try
export { createClassifier, classifierFor, compileRetryOn, retryDecision, retryConditionsFor, describeOutcome, effectiveStatus, grpcStatusOf } from './classify/index.js'
export type { ClassifierOutlierMode, RetryConditions } from './classify/index.js'

// Deadlines
export {
  deadlineAfter,
  earlierDeadline,
  remainingMs,
  isExpired,
  DeadlineScheduler,
  schedulerFor,
  DeadlineGuard,
  parseGrpcTimeoutMs,
  formatGrpcTimeout,
  DEADLINE_HEADERS,
  parseExpectedTimeoutMs,
  isGrpcContentType,
  inboundDeadline,
  outboundTimeoutMs,
  expectedTimeoutMs,
} from './deadline/index.js'
export type { ScheduledDeadline, HeaderLookup } from './deadline/index.js'

// Retries
export { RETRY_DEFAULTS, fullJitterBackoffMs, retryBudgetLimit, createBodyReplay, streamedRequestReplay, createRetryLayer } from './retry/index.js'
export type {
  RetryPolicyConfig,
  RetryBudgetConfig,
  BodyReplay,
  ReplayableBody,
  RequestReplay,
  ReplayBlock,
  RetryLayerOptions,
  RetryEvents,
  RetryEvent,
  GiveUpEvent,
  GiveUpReason,
} from './retry/index.js'

// Connection pool limits
export { effectiveLimit, ClusterResources, ClusterResourceRegistry, createPoolLayer } from './pool/index.js'
export type { PoolLimitsConfig, ConnectionPoolConfig, Admission, QueuedAdmission, OverflowLimit, ClusterLimits, PoolLayerOptions, PoolEvents, OverflowEvent } from './pool/index.js'

// Timeouts
export { createTimeoutLayer, createPerTryTimeoutLayer } from './timeout/index.js'
export type { TimeoutLayerOptions, PerTryTimeoutLayerOptions, TimeoutEvents, TimeoutEvent } from './timeout/index.js'

// Outlier detection
export {
  RATIO_ONLY_OUTLIER,
  DEFAULT_MAX_EJECTION_TIME_MS,
  maxEjectionTimeMs,
  successRateThreshold,
  successRateOutliers,
  failurePercentageOutliers,
  OutlierDetector,
  OutlierRegistry,
  createOutlierLayer,
} from './outlier/index.js'
export type {
  OutlierConfig,
  OutlierExtensionConfig,
  SuccessRateConfig,
  FailurePercentageConfig,
  RatedEndpoint,
  OutlierDetectorOptions,
  EndpointOutlierState,
  EjectionListener,
  OutlierPolicy,
  OutlierRegistryOptions,
  EndpointLike,
  OutlierLayerOptions,
  OutlierEvents,
  EjectionReason,
  EndpointEjectedEvent,
  EndpointReturnedEvent,
  EjectionSkippedEvent,
} from './outlier/index.js'

// Error-ratio circuit breaker (meshlet.io/circuit-breaker)
export { ErrorRatioBreaker, BreakerRegistry, createBreakerLayer } from './breaker/index.js'
export type {
  CircuitBreakerConfig,
  BreakerState,
  BreakerSnapshot,
  BreakerTicket,
  ErrorRatioBreakerOptions,
  BreakerPolicy,
  BreakerLayerOptions,
  BreakerEvents,
  CircuitOpenedEvent,
  CircuitStateEvent,
} from './breaker/index.js'

// Saved state (breakers and ejections across restarts)
export { RESILIENCE_STATE_VERSION, snapshotState, restoreState, parseResilienceState } from './state/index.js'
export type { ResilienceState, StateRegistries } from './state/index.js'
