import type { TypedEmitter } from '@meshlet/core'
import type { MeshLayer } from '../call-context.js'
import type { MeshEvents } from '../mesh/events.js'

/**
 * The telemetry slot's built-in content: the `request` event, built from the call's context once
 * the answer is in (the route and cluster the router chose, the last try's endpoint, the number of
 * tries), and only when someone listens. Outermost, so it sees the call as the caller does, local
 * replies included. A telemetry layer given in the `layers` option replaces it.
 */
export function createRequestEventLayer(events: TypedEmitter<MeshEvents>): MeshLayer {
  return (next) => (request, call) => {
    if (events.listenerCount('request') === 0) return next(request, call)
    return next(request, call).then((response) => {
      events.emit('request', {
        method: request.method,
        url: `${request.scheme}://${request.authority}${request.path}`,
        status: response.status,
        localReason: response.localReason,
        route: call.route?.name,
        cluster: call.target?.key,
        endpoint: call.lastTry?.endpoint?.id,
        tries: call.tries,
        durationMs: call.clock.now() - call.startedAtMs,
      })
      return response
    })
  }
}
