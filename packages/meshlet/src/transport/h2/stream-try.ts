import { constants } from 'node:http2'
import type { ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2'
import { Readable } from 'node:stream'
import { LOCAL_REASONS, MeshError, TrailerCollector, UpstreamFailureError, localReply } from '@meshlet/core'
import type { CancelReason, Cancellation, MeshRequest, MeshResponse } from '@meshlet/core'
import type { MeshTryState } from '../../call-context.js'
import { failureReasonOf } from '../failure-reason.js'
import { UpstreamBody } from '../upstream-body.js'
import type { BodySource } from '../upstream-body.js'
import { REFUSED_STREAM } from './connection.js'
import type { H2Connection } from './connection.js'
import type { H2EndpointPool, StreamWaiter } from './endpoint-pool.js'
import { h2RequestHeaders, h2ResponseHeaders } from './headers.js'

const OVERLOADED_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'x-envoy-overloaded': 'true' })

/** The try a stream belongs to, kept on the stream so that its listeners are shared functions, not closures per try. */
const TRY = Symbol('meshlet.h2StreamTry')
type TryStream = ClientHttp2Stream & { [TRY]: H2StreamTry }

/**
 * One try over HTTP/2: waits for a stream on the endpoint's pool, sends the request, and resolves
 * with a MeshResponse when the response headers arrive; the body streams (paused when its reader
 * falls behind), and the trailers reach `response.trailers` when the stream ends. The try's
 * cancellation resets the stream (CANCEL) and ends the try with its reason.
 *
 * A stream the server did not process is a refused stream (`refused-stream`, which Istio's
 * default retryOn retries, as Envoy does): RST_STREAM REFUSED_STREAM, or a GOAWAY whose last
 * stream id is below this stream's. Any other end without a response is a reset
 * (`reset`, or `reset-before-request` when no request was on the wire yet).
 */
export class H2StreamTry implements StreamWaiter, BodySource {
  readonly response: Promise<MeshResponse>
  #resolve!: (response: MeshResponse) => void
  #reject!: (error: unknown) => void
  readonly #request: MeshRequest
  readonly #state: MeshTryState
  readonly #scheme: 'http' | 'https'
  #connection: H2Connection | undefined
  #stream: ClientHttp2Stream | undefined
  #body: UpstreamBody | undefined
  #trailers: TrailerCollector | undefined
  #settled = false
  #ended = false
  #requestSent = false
  #error: Error | undefined
  #cancelReason: CancelReason | undefined
  #leaveQueue: (() => void) | undefined
  /** Set while the try listens to its cancellation. */
  #cancellation: Cancellation | undefined

  constructor(pool: H2EndpointPool, request: MeshRequest, state: MeshTryState, scheme: 'http' | 'https') {
    this.#request = request
    this.#state = state
    this.#scheme = scheme
    this.response = new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    const cancellation = state.cancellation
    if (cancellation?.cancelled) {
      this.#fail(new UpstreamFailureError(cancellation.reason!, false, undefined))
      return
    }
    const leave = pool.acquire(this)
    if (leave === false) {
      this.#settled = true
      this.#resolve(localReply(503, LOCAL_REASONS.overflow, OVERLOADED_HEADERS))
      return
    }
    if (!this.#settled && this.#stream === undefined) this.#leaveQueue = leave
    if (cancellation !== undefined && !this.#settled) {
      this.#cancellation = cancellation
      cancellation.onCancel(this.#onCancel)
    }
  }

  /** StreamWaiter: room on a connection; the stream starts now. */
  granted(connection: H2Connection): void {
    this.#leaveQueue = undefined
    const request = this.#request
    const deadlineMs = this.#state.deadlineMs
    const headers = h2RequestHeaders(request, this.#scheme, deadlineMs === undefined ? undefined : deadlineMs - this.#state.call.clock.now())
    const body = request.body
    let stream: ClientHttp2Stream
    try {
      stream = connection.session.request(headers, { endStream: body === null })
    } catch (error) {
      // The session went away between the pick and the request (GOAWAY, close): nothing was sent.
      connection.draining = true
      this.#fail(new UpstreamFailureError('refused-stream', false, error))
      return
    }
    connection.streamStarted()
    this.#connection = connection
    this.#stream = stream
    ;(stream as TryStream)[TRY] = this
    // `on` rather than `once` for the events a stream emits once: no wrapper per listener.
    stream.on('ready', H2StreamTry.#onReady)
    stream.on('response', H2StreamTry.#onResponse)
    stream.on('data', H2StreamTry.#onData)
    stream.on('trailers', H2StreamTry.#onTrailers)
    stream.on('end', H2StreamTry.#onEnd)
    stream.on('error', H2StreamTry.#onError)
    stream.on('close', H2StreamTry.#onClose)
    if (body !== null) sendBody(stream, body, (error) => this.#bodyFailed(error))
  }

  /** StreamWaiter: no connection could be made. */
  refused(error: Error): void {
    this.#leaveQueue = undefined
    const reason = failureReasonOf(error, false) ?? 'connect-failure'
    this.#fail(new UpstreamFailureError(reason === 'reset-before-request' ? 'connect-failure' : reason, false, error))
  }

  /** BodySource: the reader wants more bytes. */
  resume(): void {
    this.#stream?.resume()
  }

  /** BodySource: the reader gave up before the end. */
  abandon(): void {
    const stream = this.#stream
    if (stream !== undefined && !stream.closed) stream.close(constants.NGHTTP2_CANCEL)
  }

  // Stream listeners, shared by every try: `this` is the stream, its try is under TRY.
  static readonly #onReady = function (this: TryStream): void {
    this[TRY].#requestSent = true
  }

  static readonly #onResponse = function (this: TryStream, headers: IncomingHttpHeaders): void {
    this[TRY].#responded(headers)
  }

  static readonly #onData = function (this: TryStream, chunk: Buffer): void {
    const body = this[TRY].#body
    if (body !== undefined && !body.upstreamData(chunk)) this.pause()
  }

  static readonly #onTrailers = function (this: TryStream, trailers: IncomingHttpHeaders): void {
    this[TRY].#trailers?.received(trailers as Record<string, string | string[]>)
  }

  static readonly #onEnd = function (this: TryStream): void {
    const streamTry = this[TRY]
    streamTry.#ended = true
    // Trailers first: a reader that sees the body end finds them in place (mesh.request's `trailers`).
    streamTry.#trailers?.ended()
    streamTry.#body?.upstreamEnded()
  }

  static readonly #onError = function (this: TryStream, error: Error): void {
    const streamTry = this[TRY]
    streamTry.#error ??= error
  }

  static readonly #onClose = function (this: TryStream): void {
    this[TRY].#closed()
  }

  #responded(headers: IncomingHttpHeaders): void {
    if (this.#settled) return
    this.#requestSent = true
    const body = new UpstreamBody(this)
    const trailers = new TrailerCollector()
    this.#body = body
    this.#trailers = trailers
    this.#settled = true
    this.#resolve({ status: Number(headers[':status']), headers: h2ResponseHeaders(headers), body, localReason: undefined, trailers })
  }

  #bodyFailed(error: Error): void {
    this.#error ??= error
    const stream = this.#stream
    if (stream !== undefined && !stream.closed) stream.close(constants.NGHTTP2_INTERNAL_ERROR)
  }

  #closed(): void {
    this.#connection!.streamEnded()
    this.#stopListeningToCancellation()
    if (!this.#ended) {
      const failure = this.#failure()
      if (!this.#settled) this.#fail(failure)
      else {
        this.#body?.upstreamFailed(failure)
        this.#trailers?.failed()
      }
    }
    this.#body?.markOver()
  }

  #stopListeningToCancellation(): void {
    this.#cancellation?.offCancel(this.#onCancel)
    this.#cancellation = undefined
  }

  readonly #onCancel = (reason: CancelReason): void => {
    this.#cancelReason = reason
    // The token drops its listeners itself once it fired.
    this.#cancellation = undefined
    const failure = new UpstreamFailureError(reason, this.#requestSent, undefined)
    if (this.#leaveQueue !== undefined) {
      this.#leaveQueue()
      this.#leaveQueue = undefined
    }
    const stream = this.#stream
    if (stream !== undefined && !stream.closed) stream.close(constants.NGHTTP2_CANCEL)
    if (!this.#settled) this.#fail(failure)
  }

  /** Why the stream ended without its whole response. */
  #failure(): Error {
    const stream = this.#stream!
    const requestSent = this.#requestSent
    if (this.#cancelReason !== undefined) return new UpstreamFailureError(this.#cancelReason, requestSent, this.#error)
    const connection = this.#connection!
    const refused = stream.rstCode === REFUSED_STREAM || (stream.id !== undefined && stream.id > connection.lastStreamId) || (stream.id === undefined && connection.draining)
    if (refused) return new UpstreamFailureError('refused-stream', requestSent, this.#error)
    const error = this.#error
    const reason = error === undefined ? (requestSent ? 'reset' : 'reset-before-request') : failureReasonOf(error, requestSent)
    if (reason === undefined) return new MeshError('MESHLET_ERR_INVALID_REQUEST', `the request cannot be sent: ${error!.message}`, { cause: error })
    return new UpstreamFailureError(reason, requestSent, error)
  }

  #fail(error: Error): void {
    if (this.#settled) return
    this.#settled = true
    this.#stopListeningToCancellation()
    this.#reject(error)
  }
}

/** Writes the request body to the stream: bytes at once, a stream with backpressure; then ends it. */
function sendBody(stream: ClientHttp2Stream, body: NonNullable<MeshRequest['body']>, onError: (error: Error) => void): void {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    stream.end(body)
    return
  }
  const readable = body instanceof Readable ? body : Readable.from(body, { objectMode: false })
  readable.once('error', onError)
  readable.pipe(stream)
}
