import { UpstreamFailureError, answerTryLocally, whenBodyDone } from '@meshlet/core'
import type { CallContext, MeshRequest, MeshResponse, TryHandler, TryLayer, TryState, TypedEmitter } from '@meshlet/core'
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

  const overflow = (state: TryState<Call>, resources: ClusterResources, limit: OverflowLimit): MeshResponse => {
    if (events !== undefined && events.listenerCount('overflow') > 0) {
      events.emit('overflow', { cluster: resources.key, limit, activeRequests: resources.activeRequests, pendingRequests: resources.pendingRequests })
    }
    return answerTryLocally(state, 503, 'overflow', OVERLOADED_HEADERS)
  }

  return (next) => {
    const runHolding = (request: MeshRequest, state: TryState<Call>, resources: ClusterResources): Promise<MeshResponse> =>
      next(request, state).then(
        (response) => {
          const slot = new HeldSlot(resources)
          slot.unsubscribe = state.cancellation?.onCancel(slot.release)
          whenBodyDone(response.body, slot.release)
          return response
        },
        (error: unknown) => {
          resources.releaseRequest()
          throw error
        },
      )

    const layer: TryHandler<Call> = (request, state) => {
      const cluster = clusterOf(state.call)
      if (cluster === undefined) return next(request, state)
      const resources = registry.resourcesFor(cluster)
      const admission = resources.acquireRequest(state.cancellation)
      if (admission === 'started') return runHolding(request, state, resources)
      if (!(admission instanceof Promise)) return Promise.resolve(overflow(state, resources, admission.overflow))
      return admission.then((queued) => {
        if (queued === 'started') return runHolding(request, state, resources)
        if (queued === 'cancelled') throw new UpstreamFailureError(state.cancellation?.reason ?? 'cancelled', false, undefined)
        return overflow(state, resources, queued.overflow)
      })
    }
    return layer
  }
}

/** A pool slot held by a response whose body is still coming: released once, at its end or at cancellation. */
class HeldSlot {
  unsubscribe: (() => void) | undefined
  #held = true

  constructor(private readonly resources: ClusterResources) {}

  readonly release = (): void => {
    if (!this.#held) return
    this.#held = false
    this.unsubscribe?.()
    this.resources.releaseRequest()
  }
}
