import type { MeshResponse, MeshResponseBody } from '@meshlet/core'
import { whenBodyFinished } from '../transport/body-completion.js'

/**
 * Returns the response so that `done` runs once its body is over: read to the end, failed, or
 * cancelled. Transport bodies are watched in place; a body from elsewhere (a local reply) is
 * wrapped; no body is over at once.
 */
export function onBodyDone(response: MeshResponse, done: () => void): MeshResponse {
  const body = response.body
  if (body === null) {
    done()
    return response
  }
  if (whenBodyFinished(body, done)) return response
  return { ...response, body: watched(body, done) }
}

function watched(body: NonNullable<MeshResponseBody>, done: () => void): MeshResponseBody {
  let called = false
  const finish = () => {
    if (called) return
    called = true
    done()
  }
  const iterator = body[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next()
        if (next.done) {
          controller.close()
          finish()
        } else {
          controller.enqueue(next.value)
        }
      } catch (error) {
        controller.error(error)
        finish()
      }
    },
    async cancel() {
      finish()
      await iterator.return?.()
    },
  })
}
