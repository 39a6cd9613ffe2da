/**
 * How far a shadow may fall behind the primary before it is cut off: a mirror never slows the
 * primary, so it cannot apply backpressure; Envoy likewise buffers at most
 * per_request_buffer_limit_bytes (1 MiB default in Istio's sidecar listeners) for a shadow.
 */
export const SHADOW_BUFFER_LIMIT_BYTES = 1024 * 1024

export interface TeedBody {
  /** Read by the primary call, at its own pace. */
  readonly primary: AsyncIterable<Uint8Array>
  /** Gets each chunk the primary reads; errors if it falls too far behind or the primary fails. */
  readonly shadow: AsyncIterable<Uint8Array>
}

/**
 * Splits a streamed request body between the primary call and its mirror. Chunks are shared, not
 * copied. The primary drives the reading; the shadow only ever receives what the primary has
 * already read, so a slow or dead shadow cannot delay the primary.
 */
export function teeBody(source: AsyncIterable<Uint8Array>, limitBytes = SHADOW_BUFFER_LIMIT_BYTES): TeedBody {
  const queue: Uint8Array[] = []
  let queuedBytes = 0
  let ended = false
  let failure: unknown
  let wake: (() => void) | undefined

  const notify = () => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  const push = (chunk: Uint8Array) => {
    if (ended || failure !== undefined) return
    queuedBytes += chunk.byteLength
    if (queuedBytes > limitBytes) {
      failure = new Error('mirror fell behind the primary request body; shadow request dropped')
      queue.length = 0
    } else {
      queue.push(chunk)
    }
    notify()
  }

  const primary: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const chunk of source) {
          push(chunk)
          yield chunk
        }
        ended = true
      } catch (error) {
        failure ??= error
        throw error
      } finally {
        // The primary stopped reading early: the shadow cannot have the rest.
        if (!ended) failure ??= new Error('primary request body was not read to the end')
        notify()
      }
    },
  }

  const shadow: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = queue.shift()
        if (chunk !== undefined) {
          queuedBytes -= chunk.byteLength
          yield chunk
          continue
        }
        if (failure !== undefined) throw failure
        if (ended) return
        await new Promise<void>((resolve) => (wake = resolve))
      }
    },
  }

  return { primary, shadow }
}
