import type { MeshResponseBody } from './body.js'
import type { MeshResponseHeaders } from './headers.js'
import type { ResponseTrailers } from './trailers.js'

/**
 * One response as layers see it: from an upstream, or answered locally by meshlet (no route, fault
 * abort, timeout, overflow, direct response), in which case `localReason` says why and the same
 * value is in the `x-meshlet-reason` header. The body is streamed and read at most once.
 */
export interface MeshResponse {
  readonly status: number
  /** Lower-case names. */
  readonly headers: MeshResponseHeaders
  readonly body: MeshResponseBody
  /** Set when meshlet answered rather than an upstream (see LOCAL_REASONS). */
  readonly localReason: string | undefined
  /**
   * The trailers, told when the body is over: only responses of a transport that receives them
   * (HTTP/2) have this; HTTP/1 answers and local replies leave it out.
   */
  readonly trailers?: ResponseTrailers | undefined
}
