import type { MeshEndpoint, MeshRequest, TypedEmitter } from '@meshlet/core'
import { createBalancingLayer, createMeshPicker } from '@meshlet/balancer'
import type { MeshPicker } from '@meshlet/balancer'
import type { CompiledTrafficPolicy, MeshSnapshot } from '@meshlet/rules'
import {
  BreakerRegistry,
  ClusterResourceRegistry,
  OutlierRegistry,
  createBreakerLayer,
  createOutlierLayer,
  createPerTryTimeoutLayer,
  createPoolLayer,
  createRetryLayer,
  createTimeoutLayer,
  schedulerFor,
} from '@meshlet/resilience'
import type { BreakerEvents, OutlierEvents, PoolEvents, RetryEvents, TimeoutEvents } from '@meshlet/resilience'
import type { MeshCallContext } from '../call-context.js'
import type { MeshEvents } from '../mesh/events.js'
import type { StackEnvironment } from '../mesh/options.js'
import { liveClusterKeys } from '../reload/live-clusters.js'
import type { MeshLayer, StackSlots } from '../stack.js'
import { meshCallAdapter } from './call-adapter.js'
import { meshLabels, meshLocality } from './locality.js'
import { balancerPolicyOf, breakerPolicyOf, clusterLimitsOf, outlierPolicyOf, perTryTimeoutOf, retryPolicyOf, routeTimeoutOf } from './policies.js'

/** The registries behind the default layers: state that lives as long as the mesh. */
export interface ResilienceState {
  readonly clusters: ClusterResourceRegistry
  readonly outliers: OutlierRegistry
  readonly breakers: BreakerRegistry
  readonly picker: MeshPicker<CompiledTrafficPolicy>
  /**
   * After a reload: closes the outlier detectors and breakers and forgets the counters of clusters
   * the new rules dropped, so their timers stop; returns the keys kept.
   */
  retainLive(snapshot: MeshSnapshot): ReadonlySet<string>
}

/**
 * The stack's slots filled with @meshlet/resilience and @meshlet/balancer: one deadline scheduler
 * for every timeout of this clock, one set of cluster counters shared by retries and pool limits,
 * outlier detectors whose verdicts the balancer reads, and the mesh as the emitter of their events.
 */
export function defaultSlots(environment: StackEnvironment, events: TypedEmitter<MeshEvents>): { readonly slots: StackSlots; readonly state: ResilienceState } {
  const { clock, random } = environment
  const locality = meshLocality(environment.locality, environment.labels, process.env)
  const adapter = meshCallAdapter
  const scheduler = schedulerFor(clock)
  const clusters = new ClusterResourceRegistry(clock)
  const outliers = new OutlierRegistry({ clock, random, events: narrowEvents<OutlierEvents>(events) })
  const breakers = new BreakerRegistry({ clock, events: narrowEvents<BreakerEvents>(events) })
  const picker = createMeshPicker<CompiledTrafficPolicy>({
    policyOf: (policy, context) => balancerPolicyOf(policy, context as MeshCallContext),
    localLocality: locality,
    localLabels: meshLabels(environment.labels, locality),
    clock,
    random,
    isEjected: (target, endpoint) => !outliers.admits(target.key, endpoint.id),
  })
  // Ejections reach the balancer as they happen (Envoy's host set update), so locality priorities
  // and weights shift at once; an endpoint is back at the outlier sweep that returns it, not at the
  // balancer's next once-a-second recheck of endpoints it found ejected at pick time.
  events.on('endpointEjected', (event) => picker.setEjected(event.cluster, endpointWithId(event.endpoint), true))
  events.on('endpointReturned', (event) => picker.setEjected(event.cluster, endpointWithId(event.endpoint), false))
  // Clusters that reached a registry, for retainLive; noted when a layer reads a cluster policy
  // (only clusters that have one), so the common call adds nothing.
  const stateKeys = new Set<string>()
  const noting = <P extends { readonly key: string }>(policyOf: (request: MeshRequest, context: MeshCallContext) => P | undefined) =>
    (request: MeshRequest, context: MeshCallContext): P | undefined => {
      const policy = policyOf(request, context)
      if (policy !== undefined) stateKeys.add(policy.key)
      return policy
    }
  const retainLive = (snapshot: MeshSnapshot): ReadonlySet<string> => {
    const live = liveClusterKeys(snapshot, stateKeys)
    for (const key of stateKeys) if (!live.has(key)) stateKeys.delete(key)
    clusters.retain(live)
    outliers.retain(live)
    breakers.retain(live)
    return live
  }
  const slots: StackSlots = {
    timeout: createTimeoutLayer({ adapter, timeoutOf: routeTimeoutOf, scheduler, events: narrowEvents<TimeoutEvents>(events) }),
    retry: createRetryLayer({ adapter, policyOf: retryPolicyOf, clusterOf: noting(clusterLimitsOf), registry: clusters, clock, random, scheduler, events: narrowEvents<RetryEvents>(events) }),
    perTryTimeout: createPerTryTimeoutLayer({ adapter, perTryTimeoutOf, scheduler, events: narrowEvents<TimeoutEvents>(events) }),
    breaker: createBreakerLayer({ adapter, registry: breakers, breakerOf: noting(breakerPolicyOf) }),
    poolLimits: createPoolLayer({ adapter, clusterOf: noting(clusterLimitsOf), registry: clusters, events: narrowEvents<PoolEvents>(events) }),
    balancer: createBalancingLayer<CompiledTrafficPolicy, MeshCallContext>(picker) as MeshLayer,
    outlierDetection: createOutlierLayer({ adapter, registry: outliers, clusterOf: noting(outlierPolicyOf), endpointOf: (_request, context) => context.endpoint?.id }),
  }
  return { slots, state: { clusters, outliers, breakers, picker, retainLive } }
}

/** An endpoint reference the balancer finds by its id (its key), for verdicts that name only the id. */
function endpointWithId(id: string): MeshEndpoint {
  return { id, address: '', port: 0, labels: {}, locality: undefined, weight: 1 }
}

/**
 * The mesh's emitter seen as the emitter of one package's events. MeshEvents includes each of
 * those maps, so the events a layer emits are events of the mesh; TypeScript only treats emitter
 * types as invariant, hence the cast, checked by the constraint.
 */
function narrowEvents<E extends Record<string, (...args: never[]) => void>>(events: TypedEmitter<MeshEvents> & (MeshEvents extends E ? unknown : never)): TypedEmitter<E> {
  return events as unknown as TypedEmitter<E>
}
