/**
 * Bodies travel as given, never buffered by meshlet: a string or bytes (replayable), or a stream
 * (a Node Readable, a web ReadableStream or any async iterable of bytes), which can be read once.
 */
export type MeshBody = null | string | Uint8Array | AsyncIterable<Uint8Array>

/** A response body: a stream of bytes read once, or null for no body. */
export type MeshResponseBody = AsyncIterable<Uint8Array> | null

/**
 * Whether the body can be sent again (a retry, a mirror). Streams cannot: once a try has read
 * them they are gone, so a layer that wants to replay one must decide how (Envoy buffers up to a
 * limit; meshlet's retry layer does not retry a streamed body once it was sent).
 */
export function isReplayableBody(body: MeshBody): body is null | string | Uint8Array {
  return body === null || typeof body === 'string' || body instanceof Uint8Array
}

/**
 * Releases a response body nobody will read (a retried 503, a dropped mirror answer), so its
 * connection goes back to the pool instead of waiting for the bytes to be consumed.
 */
export function discardBody(body: MeshResponseBody): void {
  if (body === null) return
  const destroyable = body as { destroy?: (error?: Error) => void; cancel?: () => Promise<void> }
  if (typeof destroyable.destroy === 'function') {
    destroyable.destroy()
    return
  }
  if (typeof destroyable.cancel === 'function') {
    destroyable.cancel().catch(() => undefined)
    return
  }
  const iterator = body[Symbol.asyncIterator]()
  iterator.return?.()?.catch?.(() => undefined)
}

/**
 * A response body that says when it is over: read to the end, failed, or given up (the
 * transport's bodies are). Envoy keeps a request active, under its timeouts and holding its pool
 * slot, until the whole response is in; layers use this to do the same.
 */
export interface TrackedBody {
  /** Runs `listener` once the body is over (now, if it already is). */
  whenOver(listener: () => void): void
  /** Bytes of the body received from the upstream so far (telemetry's response size). */
  readonly receivedBytes: number
}

/**
 * The size of a response body in bytes, as far as it is known: what the transport received, else
 * a local reply's content-length, else 0.
 */
export function bodyBytes(body: MeshResponseBody, contentLength: string | readonly string[] | undefined): number {
  if (body !== null && typeof (body as Partial<TrackedBody>).receivedBytes === 'number') return (body as unknown as TrackedBody).receivedBytes
  if (typeof contentLength === 'string') {
    const length = Number(contentLength)
    if (Number.isSafeInteger(length) && length >= 0) return length
  }
  return 0
}

/**
 * Runs `listener` once `body` is over: when the transport's body says so, at once for no body or
 * for a body held in memory (a local reply), which keeps nothing upstream busy.
 */
export function whenBodyDone(body: MeshResponseBody, listener: () => void): void {
  if (body !== null && typeof (body as Partial<TrackedBody>).whenOver === 'function') (body as unknown as TrackedBody).whenOver(listener)
  else listener()
}
