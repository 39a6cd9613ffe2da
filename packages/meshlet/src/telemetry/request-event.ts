import type { MeshRequest, MeshResponse, TypedEmitter } from '@meshlet/core'
import type { MeshCallContext } from '../call-context.js'
import type { RequestEvent } from '../mesh/events.js'
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
      const durationMs = call.clock.now() - call.startedAtMs
      const contentType = response.headers['content-type']
      const grpc = typeof contentType === 'string' && contentType.startsWith('application/grpc')
      const headerStatus = grpc ? grpcStatusOf(response.headers['grpc-status']) : undefined
      // A gRPC answer's status is in its trailers unless it is trailers-only (Istio's
      // grpc_response_status reads the final one): the event waits for them.
      if (grpc && headerStatus === undefined && response.trailers !== undefined) {
        response.trailers.whenReceived((trailers) => events.emit('request', requestEvent(request, call, response, durationMs, grpcStatusOf(trailers?.['grpc-status']))))
      } else events.emit('request', requestEvent(request, call, response, durationMs, headerStatus))
      return response
    })
  }
}

function requestEvent(request: MeshRequest, call: MeshCallContext, response: MeshResponse, durationMs: number, grpcStatus: number | undefined): RequestEvent {
  return {
    method: request.method,
    url: `${request.scheme}://${request.authority}${request.path}`,
    status: response.status,
    localReason: response.localReason,
    route: call.route?.name,
    cluster: call.target?.key,
    endpoint: call.lastTry?.endpoint?.id,
    tries: call.tries,
    durationMs,
    grpcStatus,
  }
}

function grpcStatusOf(value: string | readonly string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined
  const status = Number(value)
  return Number.isInteger(status) && status >= 0 ? status : undefined
}
