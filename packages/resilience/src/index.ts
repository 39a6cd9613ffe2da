// @meshlet/resilience: retries, timeouts and deadlines, pool limits, outlier detection, breakers,
// as mechanisms and policies that the data plane wires into its stack. See README.md.

// The contract with the data plane
export { describeOutcome } from './call/index.js'
export type { CallAdapter, RequestReplay, ReplayBlock } from './call/index.js'

// Deadlines
export {
  deadlineAfter,
  earlierDeadline,
  remainingMs,
  isExpired,
  DeadlineScheduler,
  schedulerFor,
  Cancellation,
  parseGrpcTimeoutMs,
  formatGrpcTimeout,
  DEADLINE_HEADERS,
  parseExpectedTimeoutMs,
  isGrpcContentType,
  inboundDeadline,
  outboundTimeoutMs,
  expectedTimeoutMs,
} from './deadline/index.js'
export type { ScheduledDeadline, CancelReason, HeaderLookup } from './deadline/index.js'

// Retries
export {
  ISTIO_DEFAULT_RETRY_POLICY,
  RETRY_DEFAULTS,
  compileRetryOn,
  retryDecision,
  retryConditionsFor,
  createRetryClassifier,
  retryClassifierFor,
  fullJitterBackoffMs,
  DEFAULT_RETRY_BUDGET,
  retryBudgetLimit,
  TriedEndpoints,
  createBodyReplay,
  replayRequestBody,
  createRetryLayer,
} from './retry/index.js'
export type {
  RetryPolicyConfig,
  RetryConditions,
  RetryBudgetConfig,
  EndpointLike,
  BodyReplay,
  ReplayableBody,
  RetryLayerOptions,
  RetryAdapter,
  RetryEvents,
  RetryEvent,
  GiveUpEvent,
  GiveUpReason,
} from './retry/index.js'

// Connection pool limits
export {
  DEFAULT_CONNECTION_POOL,
  UNLIMITED,
  effectiveLimit,
  ClusterResources,
  ClusterResourceRegistry,
  toUndiciPoolOptions,
  createPoolLayer,
} from './pool/index.js'
export type {
  PoolLimitsConfig,
  ConnectionPoolConfig,
  Admission,
  QueuedAdmission,
  OverflowLimit,
  ClusterLimits,
  UndiciPoolOptions,
  PoolLayerOptions,
  PoolAdapter,
  PoolEvents,
  OverflowEvent,
} from './pool/index.js'

// Timeouts
export { createTimeoutLayer, createPerTryTimeoutLayer } from './timeout/index.js'
export type {
  TimeoutLayerOptions,
  TimeoutAdapter,
  PerTryTimeoutLayerOptions,
  PerTryTimeoutAdapter,
  TimeoutEvents,
  TimeoutEvent,
} from './timeout/index.js'

// Outlier detection
export {
  RATIO_ONLY_OUTLIER,
  DEFAULT_MAX_EJECTION_TIME_MS,
  maxEjectionTimeMs,
  outlierResultOf,
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
  OutlierResult,
  RatedEndpoint,
  OutlierDetectorOptions,
  EndpointOutlierState,
  OutlierPolicy,
  OutlierRegistryOptions,
  OutlierLayerOptions,
  OutlierAdapter,
  OutlierEvents,
  EjectionReason,
  EndpointEjectedEvent,
  EndpointReturnedEvent,
  EjectionSkippedEvent,
} from './outlier/index.js'

// Error-ratio circuit breaker (meshlet.io/circuit-breaker)
export { DEFAULT_CIRCUIT_BREAKER, ErrorRatioBreaker, BREAKER_REJECTED, BreakerRegistry, createBreakerLayer } from './breaker/index.js'
export type {
  CircuitBreakerConfig,
  BreakerState,
  BreakerSnapshot,
  ErrorRatioBreakerOptions,
  BreakerPolicy,
  BreakerLayerOptions,
  BreakerAdapter,
  BreakerEvents,
  CircuitOpenedEvent,
  CircuitStateEvent,
} from './breaker/index.js'

// Saved state (breakers and ejections across restarts)
export { RESILIENCE_STATE_VERSION, snapshotState, restoreState, parseResilienceState } from './state/index.js'
export type { ResilienceState, StateRegistries } from './state/index.js'

