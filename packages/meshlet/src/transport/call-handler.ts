import { MeshError, UpstreamFailureError } from '@meshlet/core'
import type { MeshResponse } from '@meshlet/core'
import { failureReasonOf } from './failure-reason.js'
import { bodyFinished, trackBody } from './body-completion.js'
import { parseRawHeaders } from './hop-headers.js'

/** How many response bytes may wait unread before the socket is paused (backpressure). */
const RESPONSE_BUFFER_BYTES = 64 * 1024

/**
 * What stops a try: the call's cancellation token when the layers above made one (a listener on
 * it costs far less than an AbortSignal), else the request's signal.
 */
export interface TryCancellation {
  readonly cancelled: boolean
  onCancel(listener: () => void): () => void
}

/**
 * undici dispatch handler for one try. It resolves with a MeshResponse as soon as the response
 * headers arrive; the body is a web ReadableStream fed chunk by chunk as the socket delivers them
 * (no copy, paused when the reader falls behind). It knows whether the request was written to
 * the connection, which tells a reset before the request from one after it (Envoy's
 * reset-before-request). Every failure settles the promise or errors the body stream: none
 * escapes as an unhandled rejection.
 */
export class CallHandler {
  readonly response: Promise<MeshResponse>
  private resolve!: (response: MeshResponse) => void
  private reject!: (error: unknown) => void
  private abortTry: ((reason?: Error) => void) | undefined
  private resumeSocket: (() => void) | undefined
  private body: ReadableStreamDefaultController<Uint8Array> | undefined
  private stream: ReadableStream<Uint8Array> | undefined
  private requestSent = false
  private settled = false
  private cancelled = false
  private readonly signal: AbortSignal | undefined
  private readonly unsubscribe: (() => void) | undefined
  private readonly onAbort = (): void => {
    this.cancelled = true
    this.abortTry?.(abortReason(this.signal))
  }

  constructor(signal: AbortSignal | undefined, cancellation: TryCancellation | undefined) {
    this.signal = signal
    this.response = new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    if (cancellation !== undefined) {
      this.cancelled = cancellation.cancelled
      this.unsubscribe = cancellation.onCancel(this.onAbort)
    } else if (signal !== undefined) {
      this.cancelled = signal.aborted
      signal.addEventListener('abort', this.onAbort, { once: true })
    }
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortTry = abort
    if (this.cancelled) abort(abortReason(this.signal))
  }

  onBodySent(): void {
    this.requestSent = true
  }

  onRequestSent(): void {
    this.requestSent = true
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true // 1xx informational answers are not the response
    this.requestSent = true
    this.resumeSocket = resume
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.body = controller
        },
        pull: () => this.resumeSocket?.(),
        cancel: () => {
          this.cleanup()
          this.abortTry?.(new DOMException('response body cancelled', 'AbortError'))
        },
      },
      { highWaterMark: RESPONSE_BUFFER_BYTES, size: (chunk) => chunk.byteLength },
    )
    this.stream = stream
    trackBody(stream)
    this.settled = true
    this.resolve({ status: statusCode, headers: parseRawHeaders(rawHeaders), body: stream, localReason: undefined })
    return true
  }

  onData(chunk: Buffer): boolean {
    const body = this.body
    if (body === undefined) return true
    body.enqueue(chunk)
    return (body.desiredSize ?? 1) > 0
  }

  onComplete(): void {
    this.cleanup()
    try {
      this.body?.close()
    } catch {
      // the reader cancelled the stream already
    }
  }

  onError(error: Error): void {
    this.cleanup()
    const failure = this.toFailure(error)
    if (!this.settled) {
      this.settled = true
      this.reject(failure)
      return
    }
    try {
      this.body?.error(failure)
    } catch {
      // already closed or cancelled
    }
  }

  private toFailure(error: Error): Error {
    const reason = this.cancelled ? 'cancelled' : failureReasonOf(error, this.requestSent)
    if (reason === undefined) return new MeshError('MESHLET_ERR_INVALID_REQUEST', `the request cannot be sent: ${error.message}`, { cause: error })
    return new UpstreamFailureError(reason, this.requestSent, reason === 'cancelled' ? (this.signal?.reason ?? error) : error)
  }

  private cleanup(): void {
    // Once the token fired it drops its listeners itself; unsubscribing from inside its callback
    // would change the list it is calling.
    if (this.unsubscribe !== undefined) {
      if (!this.cancelled) this.unsubscribe()
    } else {
      this.signal?.removeEventListener('abort', this.onAbort)
    }
    if (this.stream !== undefined) bodyFinished(this.stream)
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason
  return reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError')
}
