import type { TypedEmitter } from '@meshlet/core'
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
import type { ClusterIdentity } from '../router/cluster-key.js'
import type { StackSlots } from '../stack.js'
import { meshLabels, meshLocality } from './locality.js'
import { balancerPolicyOf, breakerPolicyOf, classifierOf, clusterLimitsOf, outlierPolicyOf, perTryTimeoutOf, retryPolicyOf, routeTimeoutOf } from './policies.js'

/** The registries behind the default layers: state that lives as long as the mesh. */
export interface ResilienceState {
  readonly clusters: ClusterResourceRegistry
  readonly outliers: OutlierRegistry
  readonly breakers: BreakerRegistry
  readonly picker: MeshPicker<CompiledTrafficPolicy>
  /**
   * After a reload: closes the outlier detectors and breakers and forgets the counters and
   * balancers of clusters the new rules dropped, so their timers stop; returns the keys kept.
   */
  retainLive(snapshot: MeshSnapshot): ReadonlySet<string>
}

/**
 * The stack's slots filled with @meshlet/resilience and @meshlet/balancer: one deadline scheduler
 * for every timeout of this clock, one set of cluster counters shared by retries and pool limits,
 * outlier detectors whose ejections reach the balancer through the registry's own channel (never
 * through the public events, which a user may remove), and the mesh's emitter for their events.
 */
export function defaultSlots(
  environment: StackEnvironment,
  events: TypedEmitter<MeshEvents>,
  clusterIdentity: (key: string) => ClusterIdentity | undefined,
): { readonly slots: StackSlots; readonly state: ResilienceState } {
  const { clock, random } = environment
  const locality = meshLocality(environment.locality, environment.labels, process.env)
  const scheduler = schedulerFor(clock)
  const clusters = new ClusterResourceRegistry(clock)
  const breakers = new BreakerRegistry({ clock, events: narrowEvents<BreakerEvents>(events) })
  // The balancer builds a cluster with the ejections already in force, then follows the detectors' channel.
  const picker: MeshPicker<CompiledTrafficPolicy> = createMeshPicker<CompiledTrafficPolicy>({
    policyOf: (policy, call) => balancerPolicyOf(policy, call as MeshCallContext),
    localLocality: locality,
    localLabels: meshLabels(environment.labels, locality),
    clock,
    random,
    ejectedOf: (key) => outliers.ejectedEndpoints(key),
  })
  const outliers = new OutlierRegistry({
    clock,
    random,
    events: narrowEvents<OutlierEvents>(events),
    onEjectionChange: (cluster, endpoint, ejected) => picker.setEjected(cluster, endpoint, ejected),
  })
  const retainLive = (snapshot: MeshSnapshot): ReadonlySet<string> => {
    const keys = new Set([...clusters.keys(), ...outliers.keys(), ...breakers.keys()])
    const live = liveClusterKeys(snapshot, keys, clusterIdentity)
    clusters.retain(live)
    outliers.retain(live)
    breakers.retain(live)
    return live
  }
  const slots: StackSlots = {
    timeout: createTimeoutLayer({ timeoutOf: routeTimeoutOf, scheduler, events: narrowEvents<TimeoutEvents>(events) }),
    retry: createRetryLayer({ policyOf: retryPolicyOf, classifierOf, clusterOf: clusterLimitsOf, registry: clusters, clock, random, scheduler, events: narrowEvents<RetryEvents>(events) }),
    perTryTimeout: createPerTryTimeoutLayer({ perTryTimeoutOf, scheduler, events: narrowEvents<TimeoutEvents>(events) }),
    breaker: createBreakerLayer({ registry: breakers, breakerOf: breakerPolicyOf }),
    poolLimits: createPoolLayer({ clusterOf: clusterLimitsOf, registry: clusters, events: narrowEvents<PoolEvents>(events) }),
    balancer: createBalancingLayer<CompiledTrafficPolicy, MeshCallContext>(picker),
    outlierDetection: createOutlierLayer({ registry: outliers, clusterOf: outlierPolicyOf }),
  }
  return { slots, state: { clusters, outliers, breakers, picker, retainLive } }
}

/**
 * The mesh's emitter seen as the emitter of one package's events. MeshEvents includes each of
 * those maps, so the events a layer emits are events of the mesh; TypeScript only treats emitter
 * types as invariant, hence the cast, checked by the constraint.
 */
function narrowEvents<E extends Record<string, (...args: never[]) => void>>(events: TypedEmitter<MeshEvents> & (MeshEvents extends E ? unknown : never)): TypedEmitter<E> {
  return events as unknown as TypedEmitter<E>
}
