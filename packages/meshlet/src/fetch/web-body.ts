import { Readable } from 'node:stream'
import type { MeshResponseBody } from '@meshlet/core'
import { UpstreamBody } from '../transport/upstream-body.js'

/**
 * A response body as the web ReadableStream a fetch Response wants. The transport's bodies become
 * one directly (no Node stream in between); another Node Readable is bridged through its 'data' events, pausing it while the stream's queue
 * is full, which costs far less per chunk than its async iterator; other async iterables are
 * pulled one chunk at a time. Cancelling the stream destroys the source, which stops the try.
 */
export function toWebStream(body: NonNullable<MeshResponseBody>): ReadableStream<Uint8Array> {
  if (body instanceof UpstreamBody) return body.toWebStream()
  if (body instanceof ReadableStream) return body
  if (body instanceof Readable) return fromReadable(body)
  return fromIterable(body)
}

function fromReadable(readable: Readable): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      readable.on('data', (chunk: Uint8Array) => {
        controller.enqueue(chunk)
        if ((controller.desiredSize ?? 1) <= 0) readable.pause()
      })
      readable.once('end', () => controller.close())
      readable.once('error', (error) => controller.error(error))
    },
    pull() {
      if (readable.isPaused()) readable.resume()
    },
    cancel() {
      readable.destroy()
    },
  })
}

function fromIterable(body: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}
