import { compose, systemClock, systemRandom } from '@meshlet/core'
import type { CallContext, Clock, Layer, MeshRequest, MeshResponse, Random, TypedEmitter } from '@meshlet/core'
import { createBreakerLayer } from '../breaker/layer.js'
import type { CircuitBreakerConfig } from '../breaker/policy.js'
import { BreakerRegistry } from '../breaker/registry.js'
import type { BreakerEvents } from '../breaker/events.js'
import { schedulerFor } from '../deadline/scheduler.js'
import type { DeadlineScheduler } from '../deadline/scheduler.js'
import { createOutlierLayer } from '../outlier/layer.js'
import type { OutlierConfig, OutlierExtensionConfig } from '../outlier/policy.js'
import { OutlierRegistry } from '../outlier/registry.js'
import type { OutlierEvents } from '../outlier/events.js'
import { createPoolLayer } from '../pool/layer.js'
import type { ConnectionPoolConfig } from '../pool/policy.js'
import { ClusterResourceRegistry } from '../pool/registry.js'
import type { PoolEvents } from '../pool/events.js'
import type { RetryBudgetConfig } from '../retry/budget.js'
import type { RetryEvents } from '../retry/events.js'
import { createRetryLayer } from '../retry/layer.js'
import { ISTIO_DEFAULT_RETRY_POLICY } from '../retry/policy.js'
import type { RetryPolicyConfig } from '../retry/policy.js'
import { retryClassifierFor } from '../retry/retry-on.js'
import type { ResilienceState } from '../state/format.js'
import { restoreState, snapshotState } from '../state/snapshot.js'
import type { TimeoutEvents } from '../timeout/events.js'
import { createTimeoutLayer } from '../timeout/layer.js'
import { createPerTryTimeoutLayer } from '../timeout/per-try-layer.js'
import { meshCallAdapter, recordTriedEndpoint } from './adapter.js'

/** What the layers read of a compiled route (structurally the rules package's CompiledRoute). */
export interface MeshRouteView {
  readonly timeoutMs: number | undefined
  readonly retries: RetryPolicyConfig
}

/** What the layers read of a compiled cluster policy (structurally the rules package's CompiledTrafficPolicy). */
export interface MeshPolicyView {
  readonly connectionPool: ConnectionPoolConfig
  readonly outlierDetection: OutlierConfig | undefined
  readonly retryBudget: RetryBudgetConfig | undefined
  /** `meshlet.io/*` annotations as compiled: `outlierDetection` and `circuitBreaker` are read here. */
  readonly extensions: Readonly<Record<string, unknown>>
}

export type ResilienceCallContext = CallContext<unknown, MeshRouteView, MeshPolicyView>

/** Every event the resilience layers emit, for a mesh to re-emit as its own. */
export type ResilienceEvents = RetryEvents & TimeoutEvents & PoolEvents & OutlierEvents & BreakerEvents

export interface MeshResilienceOptions {
  readonly clock?: Clock | undefined
  readonly random?: Random | undefined
  readonly events?: TypedEmitter<ResilienceEvents> | undefined
  /** Largest request body kept for retries (default 1 MiB). */
  readonly replayLimitBytes?: number | undefined
  /** A retry needs at least this long left before the deadline (default 5 ms). */
  readonly minRemainingForRetryMs?: number | undefined
  /** Wall clock for aging saved state; default Date.now. */
  readonly wallClock?: (() => number) | undefined
}

/** The layers for the stack's resilience slots (DESIGN.md "Default outbound stack"). */
export interface MeshResilienceLayers<Ctx> {
  /** 4. route timeout and inbound deadline. */
  readonly timeout: Layer<MeshRequest, MeshResponse, Ctx>
  /** 5. retries with budget, backoff and previous-host avoidance. */
  readonly retry: Layer<MeshRequest, MeshResponse, Ctx>
  /** 6. per-try timeout, and the expected-timeout header per try. */
  readonly perTryTimeout: Layer<MeshRequest, MeshResponse, Ctx>
  /** 7. the `meshlet.io/circuit-breaker` breaker, then connection pool limits. */
  readonly poolLimits: Layer<MeshRequest, MeshResponse, Ctx>
  /** 9. notes the endpoint tried and records the outcome for outlier detection. */
  readonly outlierDetection: Layer<MeshRequest, MeshResponse, Ctx>
}

export interface MeshResilience<Ctx> {
  readonly layers: MeshResilienceLayers<Ctx>
  readonly scheduler: DeadlineScheduler
  readonly resources: ClusterResourceRegistry
  readonly outliers: OutlierRegistry
  readonly breakers: BreakerRegistry
  /** Outlier detection's verdict for the balancer (panic is the balancer's to apply). */
  isEjected(clusterKey: string, endpointId: string): boolean
  /** Breaker and ejection state to persist (JSON). */
  snapshotState(): ResilienceState
  /** Restores saved state; throws MESHLET_ERR_STATE_INVALID when it is malformed. */
  restoreState(state: unknown): void
  /** Stops outlier and breaker timers. */
  close(): void
}

/**
 * Everything this package gives a mesh built on core's MeshRequest/MeshResponse/CallContext: the
 * resilience layers reading the compiled route and cluster policy from the context (a host
 * without VirtualService gets Istio's default retry policy), their shared registries, and state
 * export. The meshlet package fills its stack slots with `layers`.
 */
export function createMeshResilience<Ctx extends ResilienceCallContext>(options: MeshResilienceOptions = {}): MeshResilience<Ctx> {
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const events = options.events
  const scheduler = schedulerFor(clock)
  const adapter = meshCallAdapter<Ctx>()
  const resources = new ClusterResourceRegistry(clock)
  const outliers = new OutlierRegistry({ clock, random, events: events as TypedEmitter<OutlierEvents> | undefined })
  const breakers = new BreakerRegistry({ clock, events: events as TypedEmitter<BreakerEvents> | undefined })

  const retryPolicyOf = (context: Ctx): RetryPolicyConfig => context.route?.retries ?? ISTIO_DEFAULT_RETRY_POLICY
  const clusterOf = (_: MeshRequest, context: Ctx) => {
    const target = context.target
    return target === undefined ? undefined : { key: target.key, connectionPool: target.policy.connectionPool, retryBudget: target.policy.retryBudget }
  }

  const timeout = createTimeoutLayer<MeshRequest, MeshResponse, Ctx>({
    adapter,
    timeoutOf: (_, context) => context.route?.timeoutMs,
    scheduler,
    events: events as TypedEmitter<TimeoutEvents> | undefined,
  })
  const retry = createRetryLayer<MeshRequest, MeshResponse, Ctx>({
    adapter,
    policyOf: (_, context) => retryPolicyOf(context),
    clusterOf,
    registry: resources,
    clock,
    random,
    scheduler,
    replayLimitBytes: options.replayLimitBytes,
    minRemainingForRetryMs: options.minRemainingForRetryMs,
    events: events as TypedEmitter<RetryEvents> | undefined,
  })
  const perTryTimeout = createPerTryTimeoutLayer<MeshRequest, MeshResponse, Ctx>({
    adapter,
    perTryTimeoutOf: (_, context) => context.route?.retries.perTryTimeoutMs,
    scheduler,
    events: events as TypedEmitter<TimeoutEvents> | undefined,
  })
  const breaker = createBreakerLayer<MeshRequest, MeshResponse, Ctx>({
    adapter,
    registry: breakers,
    breakerOf: (_, context) => {
      const target = context.target
      const config = target?.policy.extensions['circuitBreaker'] as CircuitBreakerConfig | undefined
      return config === undefined ? undefined : { key: target!.key, circuitBreaker: config }
    },
    classifierOf: (_, context) => retryClassifierFor(retryPolicyOf(context)),
  })
  const pool = createPoolLayer<MeshRequest, MeshResponse, Ctx>({
    adapter,
    clusterOf,
    registry: resources,
    events: events as TypedEmitter<PoolEvents> | undefined,
  })
  const recordTried: Layer<MeshRequest, MeshResponse, Ctx> = (next) => (request, context) => {
    recordTriedEndpoint(context)
    return next(request, context)
  }
  const outlier = createOutlierLayer<MeshRequest, MeshResponse, Ctx>({
    adapter,
    registry: outliers,
    clusterOf: (_, context) => {
      const target = context.target
      if (target === undefined) return undefined
      const extension = target.policy.extensions['outlierDetection'] as OutlierExtensionConfig | undefined
      if (target.policy.outlierDetection === undefined && extension === undefined) return undefined
      return { key: target.key, outlierDetection: target.policy.outlierDetection, extension, endpoints: target.endpoints }
    },
    endpointOf: (_, context) => context.endpoint?.id,
  })

  return {
    layers: {
      timeout,
      retry,
      perTryTimeout,
      poolLimits: compose(breaker, pool),
      outlierDetection: compose(recordTried, outlier),
    },
    scheduler,
    resources,
    outliers,
    breakers,
    isEjected: (clusterKey, endpointId) => outliers.isEjected(clusterKey, endpointId),
    snapshotState: () => snapshotState({ outliers, breakers, wallClock: options.wallClock }),
    restoreState: (state) => {
      restoreState(state, { outliers, breakers, wallClock: options.wallClock })
    },
    close: () => {
      outliers.close()
      breakers.close()
    },
  }
}
