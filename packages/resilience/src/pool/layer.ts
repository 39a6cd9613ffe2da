import type { Layer, TypedEmitter } from '@meshlet/core'
import type { CallAdapter } from '../call/adapter.js'
import type { PoolEvents } from './events.js'
import type { ClusterLimits, ClusterResourceRegistry } from './registry.js'
import type { ClusterResources, OverflowLimit } from './resources.js'

export type PoolAdapter<Req, Res, Ctx> = Pick<
  CallAdapter<Req, Res, Ctx>,
  'localReply' | 'cancellationOf' | 'failureError' | 'onBodyDone'
>

export interface PoolLayerOptions<Req, Res, Ctx> {
  readonly adapter: PoolAdapter<Req, Res, Ctx>
  /** The destination cluster of this call and its limits; undefined = not limited (e.g. passthrough). */
  readonly clusterOf: (request: Req, context: Ctx) => ClusterLimits | undefined
  /** Shared with the retry layer, which reads the same counters for the retry budget. */
  readonly registry: ClusterResourceRegistry
  readonly events?: TypedEmitter<PoolEvents> | undefined
}

/** Envoy marks a local overflow answer with this header; the retry layer never retries it. */
const OVERLOADED_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'x-envoy-overloaded': 'true' })

/**
 * Connection pool limits per destination cluster (Envoy's circuit breakers, reference §13): a
 * request runs when the cluster has room, waits in a bounded queue when every connection is busy,
 * and is otherwise answered at once with a local 503 carrying `x-envoy-overloaded: true` and
 * `x-meshlet-reason: overflow`, which is never retried. The slot is held until the response body
 * is done when the adapter can tell (onBodyDone), else until the response headers arrive.
 */
export function createPoolLayer<Req, Res, Ctx>(options: PoolLayerOptions<Req, Res, Ctx>): Layer<Req, Res, Ctx> {
  const { adapter, clusterOf, registry, events } = options

  const overflow = (resources: ClusterResources, limit: OverflowLimit): Res => {
    if (events !== undefined && events.listenerCount('overflow') > 0) {
      events.emit('overflow', {
        cluster: resources.key,
        limit,
        activeRequests: resources.activeRequests,
        pendingRequests: resources.pendingRequests,
      })
    }
    return adapter.localReply(503, 'overflow', OVERLOADED_HEADERS)
  }

  return (next) => {
    const runHolding = async (request: Req, context: Ctx, resources: ClusterResources): Promise<Res> => {
      let response: Res
      try {
        response = await next(request, context)
      } catch (error) {
        resources.releaseRequest()
        throw error
      }
      if (adapter.onBodyDone === undefined) {
        resources.releaseRequest()
        return response
      }
      // Held until the body is done, or until the call is cancelled (its connection is then closed).
      let held = true
      let unsubscribe: (() => void) | undefined
      const release = (): void => {
        if (!held) return
        held = false
        unsubscribe?.()
        resources.releaseRequest()
      }
      unsubscribe = adapter.cancellationOf(context, request)?.onCancel(release)
      return adapter.onBodyDone(response, release)
    }

    return (request, context) => {
      const cluster = clusterOf(request, context)
      if (cluster === undefined) return next(request, context)
      const resources = registry.resourcesFor(cluster)
      const cancellation = adapter.cancellationOf(context, request)
      const admission = resources.acquireRequest(cancellation)
      if (admission === 'started') return runHolding(request, context, resources)
      if (!(admission instanceof Promise)) return Promise.resolve(overflow(resources, admission.overflow))
      return admission.then((queued) => {
        if (queued === 'started') return runHolding(request, context, resources)
        if (queued === 'cancelled') throw adapter.failureError(cancellation?.reason ?? 'cancelled', false)
        return overflow(resources, queued.overflow)
      })
    }
  }
}
