import { Readable } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'

/** How many response bytes may wait unread before the socket is paused (backpressure). */
export const RESPONSE_BUFFER_BYTES = 64 * 1024

/** What the body asks of the try that feeds it. */
export interface BodySource {
  /** The reader wants more: let the socket deliver again. */
  resume(): void
  /** The reader stopped before the end (destroy, cancel, discardBody): stop the try and free its slot. */
  abandon(): void
}

/**
 * Where the bytes go once a reader took the body: a Node Readable or a web stream controller.
 * Implemented by classes rather than closures, to spare allocations per response.
 */
interface BodySink {
  /** False once the reader's buffer is full: the socket pauses until `resume`. */
  sinkChunk(chunk: Uint8Array): boolean
  sinkEnd(): void
  sinkError(error: Error): void
}

type State = 'open' | 'ended' | 'failed' | 'abandoned'

const ignoreError = (): void => undefined

/**
 * A response body fed chunk by chunk by the transport, which becomes the kind of stream its reader
 * wants on first use: a Node Readable (`toReadable`, mesh.request, async iteration) or a web
 * ReadableStream (`toWebStream`, mesh.fetch's Response), never both, so neither entry point pays
 * for the other's stream. Chunks that arrive before a reader are kept (up to the buffer limit,
 * then the socket pauses). `destroy` before reading gives the body up, as discardBody does.
 */
export class UpstreamBody implements AsyncIterable<Uint8Array> {
  private readonly source: BodySource
  private state: State = 'open'
  private failure: Error | undefined
  private early: Uint8Array[] | undefined
  private earlyBytes = 0
  private sink: BodySink | undefined
  private readable: Readable | undefined
  private web: ReadableStream<Uint8Array> | undefined
  /** Set once the try is over (all bytes in, failed or abandoned); see whenOver. */
  private over = false
  private overListeners: (() => void) | Array<() => void> | undefined
  /** Bytes received from the upstream so far (telemetry reads the response size here). */
  receivedBytes = 0

  constructor(source: BodySource) {
    this.source = source
  }

  /** Transport: one more chunk. False asks the socket to pause. */
  upstreamData(chunk: Uint8Array): boolean {
    this.receivedBytes += chunk.byteLength
    // A reader that gave up is not written to (a cancelled web stream throws on enqueue).
    if (this.state !== 'open') return false
    if (this.sink !== undefined) return this.sink.sinkChunk(chunk)
    ;(this.early ??= []).push(chunk)
    this.earlyBytes += chunk.byteLength
    return this.earlyBytes < RESPONSE_BUFFER_BYTES
  }

  /** Transport: the whole body is in. */
  upstreamEnded(): void {
    if (this.state !== 'open') return
    this.state = 'ended'
    this.sink?.sinkEnd()
  }

  /** Transport: the try failed after its headers; the reader gets the error. */
  upstreamFailed(error: Error): void {
    if (this.state !== 'open') return
    this.state = 'failed'
    this.failure = error
    this.sink?.sinkError(error)
  }

  /** The body as a Node Readable (the same one each time). */
  toReadable(): Readable {
    if (this.readable !== undefined) return this.readable
    if (this.web !== undefined) {
      this.readable = Readable.fromWeb(this.web as NodeWebStream<Uint8Array>)
      return this.readable
    }
    const readable = new NodeBody(this)
    // A failing body nobody reads must not crash the process; readers that listen still get it.
    readable.on('error', ignoreError)
    this.readable = readable
    this.attach(readable)
    return readable
  }

  /** The body as a web ReadableStream (the same one each time). */
  toWebStream(): ReadableStream<Uint8Array> {
    if (this.web !== undefined) return this.web
    if (this.readable !== undefined) {
      this.web = Readable.toWeb(this.readable) as unknown as ReadableStream<Uint8Array>
      return this.web
    }
    const sink = new WebSink(this)
    this.web = new ReadableStream<Uint8Array>(sink, WEB_QUEUING)
    this.attach(sink)
    return this.web
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.toReadable()[Symbol.asyncIterator]()
  }

  /** Gives the body up (discardBody): the stream a reader took is destroyed, else the try is stopped. */
  destroy(): void {
    if (this.readable !== undefined) this.readable.destroy()
    else if (this.web !== undefined) this.web.cancel().catch(ignoreError)
    else this.readerGaveUp()
  }

  /** Runs `listener` once the try behind this body is over (now, if it is). */
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

  /** The reader wants more bytes. */
  readerWantsMore(): void {
    if (this.state === 'open') this.source.resume()
  }

  /** The reader stopped before the end. */
  readerGaveUp(): void {
    if (this.state !== 'open') return
    this.state = 'abandoned'
    this.early = undefined
    this.source.abandon()
  }

  /** Hands the chunks kept so far, then the end or the failure if they came already, to the reader's stream. */
  private attach(sink: BodySink): void {
    const early = this.early
    const socketPaused = this.earlyBytes >= RESPONSE_BUFFER_BYTES
    this.early = undefined
    this.earlyBytes = 0
    if (early !== undefined) for (const chunk of early) sink.sinkChunk(chunk)
    if (this.state === 'ended') sink.sinkEnd()
    else if (this.state === 'failed') sink.sinkError(this.failure!)
    else this.sink = sink
    // Kept chunks paused the socket; the reader's stream has room now, or asks when it does.
    if (socketPaused && this.state === 'open') this.source.resume()
  }
}

/**
 * The Node Readable face of an UpstreamBody. Its own members have names no http.IncomingMessage
 * field uses, since adapters (got) dress the stream up as one.
 */
class NodeBody extends Readable implements BodySink {
  private readonly upstreamBody: UpstreamBody

  constructor(upstreamBody: UpstreamBody) {
    super({ highWaterMark: RESPONSE_BUFFER_BYTES })
    this.upstreamBody = upstreamBody
  }

  sinkChunk(chunk: Uint8Array): boolean {
    return this.push(chunk)
  }

  sinkEnd(): void {
    this.push(null)
  }

  sinkError(error: Error): void {
    this.destroy(error)
  }

  override _read(): void {
    this.upstreamBody.readerWantsMore()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.upstreamBody.readerGaveUp()
    callback(error)
  }
}

/** The web stream's queue: bytes, up to the same limit as the Node face. */
const WEB_QUEUING: QueuingStrategy<Uint8Array> = { highWaterMark: RESPONSE_BUFFER_BYTES, size: (chunk) => chunk.byteLength }

/** The web ReadableStream face of an UpstreamBody: its underlying source, and the sink the body writes to. */
class WebSink implements BodySink {
  private readonly upstreamBody: UpstreamBody
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined

  constructor(upstreamBody: UpstreamBody) {
    this.upstreamBody = upstreamBody
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller
  }

  pull(): void {
    this.upstreamBody.readerWantsMore()
  }

  cancel(): void {
    this.upstreamBody.readerGaveUp()
  }

  sinkChunk(chunk: Uint8Array): boolean {
    const controller = this.controller!
    controller.enqueue(chunk)
    return (controller.desiredSize ?? 1) > 0
  }

  sinkEnd(): void {
    this.controller!.close()
  }

  sinkError(error: Error): void {
    this.controller!.error(error)
  }
}
