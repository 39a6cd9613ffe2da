import { UNLIMITED } from '@meshlet/core'
import type { CircuitBreakerConfig } from '../../src/breaker/policy.js'
import type { ConnectionPoolConfig } from '../../src/pool/policy.js'
import type { RetryBudgetConfig } from '../../src/retry/budget.js'
import type { RetryPolicyConfig } from '../../src/retry/policy.js'

// What the rules package's compiler fills in, restated for this package's tests (the runtime reads
// the compiled policy, never these): the defaults are owned by the compiler.

/** Istio's retry policy for a route without `retries` (rules: defaultRetryPolicy; reference §6.4). */
export const ISTIO_DEFAULT_RETRY_POLICY: RetryPolicyConfig = Object.freeze({
  attempts: 2,
  perTryTimeoutMs: undefined,
  retryOn: Object.freeze(['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes']),
  retriableStatusCodes: Object.freeze([]),
  avoidPreviousHosts: true,
  backoffBaseMs: 25,
  backoffMaxMs: 250,
})

/** Istio's connection pool without a connectionPool block (rules: DEFAULT_CONNECTION_POOL). */
export const DEFAULT_CONNECTION_POOL: ConnectionPoolConfig = Object.freeze({
  maxConnections: UNLIMITED,
  http1MaxPendingRequests: UNLIMITED,
  http2MaxRequests: UNLIMITED,
  maxRetries: UNLIMITED,
  connectTimeoutMs: 10_000,
  tcpIdleTimeoutMs: undefined,
  maxConnectionDurationMs: undefined,
  maxRequestsPerConnection: 0,
  httpIdleTimeoutMs: undefined,
})

/** Envoy's retry budget defaults (rules: DEFAULT_RETRY_BUDGET; circuit_breaker.proto RetryBudget). */
export const DEFAULT_RETRY_BUDGET: RetryBudgetConfig = Object.freeze({ percent: 20, minRetryConcurrency: 3, budgetIntervalMs: undefined })

/** opossum 9's defaults (rules: DEFAULT_CIRCUIT_BREAKER). */
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerConfig = Object.freeze({
  errorThresholdPercentage: 50,
  volumeThreshold: 0,
  resetTimeoutMs: 30_000,
  rollingCountTimeoutMs: 10_000,
  rollingCountBuckets: 10,
  halfOpenMaxRequests: 1,
})
