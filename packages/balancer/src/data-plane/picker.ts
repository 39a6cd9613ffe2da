import { systemClock, systemRandom, type CallContext, type CallTarget, type MeshEndpoint, type MeshRequest, type OutcomeClass, type TryState } from '@meshlet/core'
import { createBalancer, type Balancer } from '../balancer/create-balancer.js'
import type { BalancerConfig, BalancerOptions } from '../config/config.js'
import { RequestPickContext } from './request-context.js'
import type { GeneratedCookie } from '../consistent-hash/cookie.js'

/** What the picker needs from a cluster's compiled traffic policy. */
export interface PolicyView {
  /** The compiled `loadBalancer` (undefined = Istio's default, LEAST_REQUEST). */
  readonly loadBalancer: BalancerConfig | undefined
  /** Whether the policy has `outlierDetection` (gates locality failover, as in Istio). */
  readonly outlierDetectionEnabled: boolean
  /** `outlierDetection.minHealthPercent` (Envoy panic threshold); 0 by default. */
  readonly panicThresholdPercent?: number | undefined
  /** From the route's retry policy (`retryIgnorePreviousHosts`); default true. */
  readonly avoidPreviousHosts?: boolean | undefined
}

export interface MeshPickerOptions<Policy> {
  /** Reads the balancer settings out of the data plane's compiled policy, e.g. CompiledTrafficPolicy. */
  readonly policyOf: (policy: Policy, call: CallContext<unknown, unknown, Policy>) => PolicyView
  readonly localLocality?: string | undefined
  readonly localLabels?: Readonly<Record<string, string>> | undefined
  readonly clock?: BalancerOptions['clock']
  readonly random?: BalancerOptions['random']
  readonly peakEwma?: BalancerOptions['peakEwma']
  readonly leastRequest?: BalancerOptions['leastRequest']
  /**
   * The endpoint ids of a cluster outlier detection has out when the balancer first builds the
   * cluster (restored state included); after that `setEjected` keeps it in step.
   */
  readonly ejectedOf?: ((targetKey: string) => Iterable<string>) | undefined
}

/** The result of one pick, with the cookie to send back when a hash cookie was generated. */
export interface MeshPick {
  readonly endpoint: MeshEndpoint
  readonly setCookie: GeneratedCookie | undefined
}

/**
 * One balancer per cluster (`target.key`), created on first use and kept in step with the
 * cluster's endpoints and policy: `pick(target, request, context)` has the shape of the data
 * plane's EndpointPicker, `onStart`/`onFinish` feed the load metrics, `setEjected` takes outlier
 * detection's decisions.
 */
export interface MeshPicker<Policy> {
  pick(target: CallTarget<Policy>, request: MeshRequest, state: TryState<CallContext<unknown, unknown, Policy>>): MeshEndpoint | undefined
  /** `pick`, also returning a generated hash cookie the response must set. */
  pickWithCookie(target: CallTarget<Policy>, request: MeshRequest, state: TryState<CallContext<unknown, unknown, Policy>>): MeshPick | undefined
  onStart(target: CallTarget<Policy>, endpoint: MeshEndpoint): void
  onFinish(target: CallTarget<Policy>, endpoint: MeshEndpoint, latencyMs: number, outcome: OutcomeClass): void
  /** Outlier detection ejected (true) or returned (false) the endpoint with this id (rare: found by a scan). */
  setEjected(targetKey: string, endpointId: string, ejected: boolean): void
  /** The balancer of a cluster, if one was made (for explain and tests). */
  balancerOf(targetKey: string): Balancer<MeshEndpoint> | undefined
  /** Keys of the clusters that have a balancer (for the admin server's /clusters). */
  clusterKeys(): IterableIterator<string>
  /** Every endpoint of a cluster, ejected ones included, as last synced from its target. */
  endpointsOf(targetKey: string): readonly MeshEndpoint[] | undefined
  /** Forgets clusters not in `liveKeys` (after a reload dropped them). */
  retain(liveKeys: ReadonlySet<string>): void
}

interface Cluster {
  readonly balancer: Balancer<MeshEndpoint>
  loadBalancer: BalancerConfig | undefined
  readonly outlierDetectionEnabled: boolean
  readonly panicThresholdPercent: number | undefined
  endpoints: readonly MeshEndpoint[]
}

export function createMeshPicker<Policy>(options: MeshPickerOptions<Policy>): MeshPicker<Policy> {
  const clusters = new Map<string, Cluster>()
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom

  const clusterFor = (target: CallTarget<Policy>, view: PolicyView): Cluster => {
    let cluster = clusters.get(target.key)
    // A reload compiles new policy objects: rebuild when the policy changed, keep the learned
    // state (load, latency, ejections) when it is the same policy again.
    if (cluster !== undefined && cluster.loadBalancer !== view.loadBalancer) {
      if (JSON.stringify(cluster.loadBalancer) === JSON.stringify(view.loadBalancer)) cluster.loadBalancer = view.loadBalancer
      else cluster = undefined
    }
    if (cluster !== undefined && (cluster.outlierDetectionEnabled !== view.outlierDetectionEnabled || cluster.panicThresholdPercent !== view.panicThresholdPercent)) {
      cluster = undefined
    }
    if (cluster === undefined) {
      const balancer = createBalancer<MeshEndpoint>(view.loadBalancer, target.endpoints, {
        clock,
        random,
        localLocality: options.localLocality,
        localLabels: options.localLabels,
        outlierDetectionEnabled: view.outlierDetectionEnabled,
        panicThresholdPercent: view.panicThresholdPercent,
        peakEwma: options.peakEwma,
        leastRequest: options.leastRequest,
      })
      for (const id of options.ejectedOf?.(target.key) ?? []) {
        const endpoint = endpointById(target.endpoints, id)
        if (endpoint !== undefined) balancer.setEjected(endpoint, true)
      }
      cluster = {
        balancer,
        loadBalancer: view.loadBalancer,
        outlierDetectionEnabled: view.outlierDetectionEnabled,
        panicThresholdPercent: view.panicThresholdPercent,
        endpoints: target.endpoints,
      }
      clusters.set(target.key, cluster)
    } else if (cluster.endpoints !== target.endpoints) {
      cluster.balancer.setEndpoints(target.endpoints)
      cluster.endpoints = target.endpoints
    }
    return cluster
  }

  const pickWithCookie: MeshPicker<Policy>['pickWithCookie'] = (target, request, state) => {
    const view = options.policyOf(target.policy, state.call)
    const cluster = clusterFor(target, view)
    // The first try of a call to a cluster that hashes nothing needs nothing from the request.
    if (state.tried.length === 0 && cluster.balancer.algorithm !== 'CONSISTENT_HASH') {
      const endpoint = cluster.balancer.pick()
      return endpoint === undefined ? undefined : { endpoint, setCookie: undefined }
    }
    const pickContext = new RequestPickContext(request, state, view.avoidPreviousHosts !== false)
    const endpoint = cluster.balancer.pick(pickContext)
    return endpoint === undefined ? undefined : { endpoint, setCookie: pickContext.generatedCookie }
  }

  return {
    pick: (target, request, state) => pickWithCookie(target, request, state)?.endpoint,
    pickWithCookie,
    onStart: (target, endpoint) => clusters.get(target.key)?.balancer.onStart(endpoint),
    onFinish: (target, endpoint, latencyMs, outcome) => clusters.get(target.key)?.balancer.onFinish(endpoint, latencyMs, outcome),
    setEjected(targetKey, endpointId, ejected) {
      const cluster = clusters.get(targetKey)
      const endpoint = cluster === undefined ? undefined : endpointById(cluster.endpoints, endpointId)
      if (endpoint !== undefined) cluster!.balancer.setEjected(endpoint, ejected)
    },
    balancerOf: (targetKey) => clusters.get(targetKey)?.balancer,
    clusterKeys: () => clusters.keys(),
    endpointsOf: (targetKey) => clusters.get(targetKey)?.endpoints,
    retain(liveKeys) {
      for (const key of clusters.keys()) if (!liveKeys.has(key)) clusters.delete(key)
    },
  }
}

function endpointById(endpoints: readonly MeshEndpoint[], id: string): MeshEndpoint | undefined {
  for (const endpoint of endpoints) if (endpoint.id === id) return endpoint
  return undefined
}
