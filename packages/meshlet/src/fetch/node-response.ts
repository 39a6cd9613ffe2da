import { Readable } from 'node:stream'
import type { MeshResponse, MeshResponseHeaders } from '@meshlet/core'
import { UpstreamBody } from '../transport/upstream-body.js'

/** What `mesh.request` resolves with, shaped like undici.request's answer. */
export interface MeshRequestResult {
  readonly statusCode: number
  /** Lower-case names; a repeated header is a list. */
  readonly headers: MeshResponseHeaders
  /** Read it to the end or destroy it: until then the try holds its connection. */
  readonly body: Readable
  /** Set when meshlet answered rather than an upstream (the same value as the x-meshlet-reason header). */
  readonly localReason: string | undefined
  /**
   * The response trailers, filled in when the body has been read to its end, as undici.request
   * fills its `trailers` (HTTP/2 answers carry them: gRPC's grpc-status and grpc-message); empty
   * for an HTTP/1 answer or a local reply.
   */
  readonly trailers: Record<string, string | string[]>
}

/**
 * A MeshResponse as mesh.request's result. The transport's bodies become a Node Readable directly;
 * a local reply's body is wrapped once; no body is an ended stream.
 */
export function toNodeResult(response: MeshResponse): MeshRequestResult {
  const body = response.body
  const trailers: Record<string, string | string[]> = {}
  // Filled before the body's end reaches the reader: the transport collects trailers before it ends the body.
  response.trailers?.whenReceived((received) => {
    if (received !== undefined) for (const name in received) trailers[name] = received[name] as string | string[]
  })
  return {
    statusCode: response.status,
    headers: response.headers,
    body: body instanceof UpstreamBody ? body.toReadable() : body instanceof Readable ? body : Readable.from(body ?? EMPTY, { objectMode: false }),
    localReason: response.localReason,
    trailers,
  }
}

const EMPTY: readonly Uint8Array[] = []
