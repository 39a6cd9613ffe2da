import type { MeshRequest } from '@meshlet/core'
import type { Cancellation } from '../deadline/cancellation.js'

/** Marks a request whose `signal` is a lazy view of a Cancellation. */
const CANCELLATION = Symbol('meshlet.request.cancellation')

type CancellableRequest = MeshRequest & { readonly [CANCELLATION]?: Cancellation }

/**
 * The request with a `signal` that follows `cancellation`. The signal is an accessor: the
 * AbortSignal (microseconds to make in Node 20) only exists once the transport reads it, and a
 * call answered before it is dispatched never pays for one.
 */
export function withCancellationSignal(request: MeshRequest, cancellation: Cancellation): MeshRequest {
  return build(request, request.headers, request.body, cancellation)
}

/** The request with new headers or body, keeping a lazy signal lazy (a spread would read it). */
export function deriveRequest(request: MeshRequest, changes: { readonly headers?: MeshRequest['headers']; readonly body?: MeshRequest['body'] }): MeshRequest {
  const cancellation = (request as CancellableRequest)[CANCELLATION]
  if (cancellation === undefined) return { ...request, ...changes }
  return build(request, changes.headers ?? request.headers, changes.body !== undefined ? changes.body : request.body, cancellation)
}

function build(request: MeshRequest, headers: MeshRequest['headers'], body: MeshRequest['body'], cancellation: Cancellation): MeshRequest {
  return {
    method: request.method,
    scheme: request.scheme,
    authority: request.authority,
    path: request.path,
    headers,
    body,
    [CANCELLATION]: cancellation,
    get signal(): AbortSignal {
      return cancellation.signal
    },
  } as CancellableRequest
}
