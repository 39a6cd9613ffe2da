import type { MeshResponseHeaders } from './headers.js'
import type { MeshResponse } from './response.js'

/**
 * The trailers of a streamed response (HTTP/2: gRPC puts its final `grpc-status` there). The
 * transport that can receive trailers gives its responses one; HTTP/1 responses and local replies
 * have none, so they pay nothing for it.
 */
export interface ResponseTrailers {
  /**
   * Calls `listener` once the response is over (now, if it is): with the trailers, an empty object
   * when the stream ended without any, or undefined when it failed or was given up before its end.
   */
  whenReceived(listener: (trailers: MeshResponseHeaders | undefined) => void): void
}

const NO_TRAILERS: MeshResponseHeaders = Object.freeze({})

/**
 * The trailers of `response` once its body is over: an empty object when it has none (HTTP/1, a
 * local reply, a stream that ended without them), undefined when the stream failed before its end.
 */
export function trailersOf(response: Pick<MeshResponse, 'trailers'>): Promise<MeshResponseHeaders | undefined> {
  const trailers = response.trailers
  if (trailers === undefined) return Promise.resolve(NO_TRAILERS)
  return new Promise((resolve) => trailers.whenReceived(resolve))
}

/**
 * Collects the trailers of one stream and tells the listeners when it is over. One per HTTP/2
 * response; the transport calls `received` (any number of trailer blocks merge), then `ended` or
 * `failed`.
 */
export class TrailerCollector implements ResponseTrailers {
  #value: Record<string, string | string[]> | undefined
  #done = false
  #result: MeshResponseHeaders | undefined
  #listeners: ((trailers: MeshResponseHeaders | undefined) => void) | Array<(trailers: MeshResponseHeaders | undefined) => void> | undefined

  /** The transport: a trailer block arrived. */
  received(trailers: Readonly<Record<string, string | readonly string[]>>): void {
    const value = (this.#value ??= {})
    for (const name in trailers) {
      if (name.charCodeAt(0) === 58 /* ':' */) continue
      const item = trailers[name]!
      value[name] = typeof item === 'string' ? item : [...item]
    }
  }

  /** The transport: the stream ended (with or without trailers). */
  ended(): void {
    this.#finish(this.#value ?? NO_TRAILERS)
  }

  /** The transport: the stream failed or was given up before its end. */
  failed(): void {
    this.#finish(undefined)
  }

  whenReceived(listener: (trailers: MeshResponseHeaders | undefined) => void): void {
    if (this.#done) {
      listener(this.#result)
      return
    }
    const listeners = this.#listeners
    if (listeners === undefined) this.#listeners = listener
    else if (typeof listeners === 'function') this.#listeners = [listeners, listener]
    else listeners.push(listener)
  }

  #finish(result: MeshResponseHeaders | undefined): void {
    if (this.#done) return
    this.#done = true
    this.#result = result
    const listeners = this.#listeners
    this.#listeners = undefined
    if (typeof listeners === 'function') listeners(result)
    else if (listeners !== undefined) for (const listener of listeners) listener(result)
  }
}
