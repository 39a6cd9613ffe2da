import { Readable } from 'node:stream'
import type { MeshResponse, MeshResponseBody } from '@meshlet/core'
import { whenBodyFinished } from '../transport/body-completion.js'

const ignoreError = (): void => undefined

/**
 * Returns the response so that `done` runs once its body is over: read to the end, failed, or
 * cancelled. Transport bodies are watched in place; a body from elsewhere (a local reply) is
 * read through a Node Readable whose 'close' says it is over; no body is over at once.
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
  const readable = body instanceof Readable ? body : Readable.from(body, { objectMode: false })
  // A failing body nobody reads must not crash the process; readers still get the error.
  readable.on('error', ignoreError)
  // 'close' follows the end, an error and destroy alike (autoDestroy), so it runs `done` once.
  readable.once('close', done)
  return readable
}
