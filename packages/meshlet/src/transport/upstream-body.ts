import { Readable } from 'node:stream'

/** How many response bytes may wait unread before the socket is paused (backpressure). */
export const RESPONSE_BUFFER_BYTES = 64 * 1024

/** What the body asks of the try that feeds it. */
export interface BodySource {
  /** The reader wants more: let the socket deliver again. */
  resume(): void
  /** The reader stopped before the end (destroy, discardBody): stop the try and free its slot. */
  abandon(): void
}

const ignoreError = (): void => undefined

/**
 * A response body as a Node Readable fed chunk by chunk by the transport: no web stream, no
 * copy. `push` returning false pauses the socket until `_read` asks for more. A body that fails
 * after its headers errors the stream; a listener that ignores the error is attached so that a
 * body nobody reads cannot crash the process (fetch bodies behave so too); readers that attach
 * their own still get it. Its own members have names no http.IncomingMessage field uses, since
 * adapters (got) dress the stream up as one.
 */
export class UpstreamBody extends Readable {
  private readonly source: BodySource
  private ended = false
  /** Set once the try is over (all bytes in, failed or abandoned); see whenOver. */
  private over = false
  private overListeners: (() => void) | Array<() => void> | undefined

  constructor(source: BodySource) {
    super({ highWaterMark: RESPONSE_BUFFER_BYTES })
    this.source = source
    this.on('error', ignoreError)
  }

  /** The transport has the whole body. */
  upstreamEnded(): void {
    this.ended = true
    this.push(null)
  }

  /** The try failed after its headers: readers get the error. */
  upstreamFailed(error: Error): void {
    this.ended = true
    this.destroy(error)
  }

  /**
   * Runs `listener` once the try behind this body is over (now, if it is): Envoy keeps a request
   * under its timeouts and pool slot until the whole response is in.
   */
  whenOver(listener: () => void): void {
    if (this.over) {
      listener()
      return
    }
    const listeners = this.overListeners
    // One listener is the common case (the call's own release); no array for it.
    if (listeners === undefined) this.overListeners = listener
    else if (typeof listeners === 'function') this.overListeners = [listeners, listener]
    else listeners.push(listener)
  }

  /** The transport says the try is over; every listener runs once. */
  markOver(): void {
    if (this.over) return
    this.over = true
    const listeners = this.overListeners
    this.overListeners = undefined
    if (typeof listeners === 'function') listeners()
    else if (listeners !== undefined) for (const listener of listeners) listener()
  }

  override _read(): void {
    this.source.resume()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.ended) {
      this.ended = true
      this.source.abandon()
    }
    callback(error)
  }
}
