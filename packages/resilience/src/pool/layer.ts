import { UpstreamFailureError, localReply, whenBodyDone } from '@meshlet/core'
import type { CallContext, Cancellation, MeshRequest, MeshResponse, TryHandler, TryLayer, TryObserver, TryState, TypedEmitter } from '@meshlet/core'
import type { PoolEvents } from './events.js'
import type { ClusterLimits, ClusterResourceRegistry } from './registry.js'
import type { ClusterResources, OverflowLimit } from './resources.js'

export interface PoolLayerOptions<Call extends CallContext> {
  /** The destination cluster of this call and its limits; undefined = not limited (e.g. passthrough). */
  readonly clusterOf: (call: Call) => ClusterLimits | undefined
  /** Shared with the retry layer, which reads the same counters for the retry budget. */
  readonly registry: ClusterResourceRegistry
  readonly events?: TypedEmitter<PoolEvents> | undefined
}

/** Envoy marks a local overflow answer with this header; no retry policy retries it. */
const OVERLOADED_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'x-envoy-overloaded': 'true' })

/**
 * Connection pool limits per destination cluster (Envoy's circuit breakers, reference §13): a try
 * runs when the cluster has room, waits in a bounded queue when every connection is busy (leaving
 * it when the try's cancellation fires), and is otherwise answered at once with a local 503
 * carrying `x-envoy-overloaded: true` and `x-meshlet-reason: overflow`, which is never retried. The
 * slot is held until the response body is done, or until the try is cancelled (its connection is
 * then closed).
 */
export function createPoolLayer<Call extends CallContext>(options: PoolLayerOptions<Call>): TryLayer<Call> {
  const { clusterOf, registry, events } = options

  const overflow = (resources: ClusterResources, limit: OverflowLimit): MeshResponse => {
    if (events !== undefined && events.listenerCount('overflow') > 0) {
      events.emit('overflow', { cluster: resources.key, limit, activeRequests: resources.activeRequests, pendingRequests: resources.pendingRequests })
    }
    return localReply(503, 'overflow', OVERLOADED_HEADERS)
  }

  return (next) => {
    const runHolding = (request: MeshRequest, state: TryState<Call>, resources: ClusterResources): Promise<MeshResponse> => {
      state.observe(new HeldSlot(resources))
      return next(request, state)
    }

    const layer: TryHandler<Call> = (request, state) => {
      const cluster = clusterOf(state.call)
      if (cluster === undefined) return next(request, state)
      const resources = registry.resourcesFor(cluster)
      const admission = resources.acquireRequest(state.cancellation)
      if (admission === 'started') return runHolding(request, state, resources)
      if (!(admission instanceof Promise)) return Promise.resolve(overflow(resources, admission.overflow))
      return admission.then((queued) => {
        if (queued === 'started') return runHolding(request, state, resources)
        if (queued === 'cancelled') throw new UpstreamFailureError(state.cancellation?.reason ?? 'cancelled', false, undefined)
        return overflow(resources, queued.overflow)
      })
    }
    return layer
  }
}

/**
 * The try's pool slot: released when the try ends without a response, else once the response body
 * is done or the try is cancelled while it streams (its connection is then closed).
 */
class HeldSlot implements TryObserver {
  #cancellation: Cancellation | undefined
  #held = true

  constructor(private readonly resources: ClusterResources) {}

  tryEnded(state: TryState, response: MeshResponse | undefined): MeshResponse | undefined {
    if (response === undefined) {
      this.release()
      return response
    }
    const cancellation = state.cancellation
    if (cancellation !== undefined) {
      this.#cancellation = cancellation
      cancellation.onCancel(this.release)
    }
    whenBodyDone(response.body, this.release)
    return response
  }

  readonly release = (): void => {
    if (!this.#held) return
    this.#held = false
    this.#cancellation?.offCancel(this.release)
    this.resources.releaseRequest()
  }
}
