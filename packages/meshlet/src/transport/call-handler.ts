import { MeshError, UpstreamFailureError } from '@meshlet/core'
import type { CancelReason, Cancellation, MeshResponse } from '@meshlet/core'
import { failureReasonOf } from './failure-reason.js'
import { parseRawHeaders } from './hop-headers.js'
import { UpstreamBody } from './upstream-body.js'
import type { BodySource } from './upstream-body.js'

/**
 * undici dispatch handler for one try. It resolves with a MeshResponse as soon as the response
 * headers arrive; the body is an UpstreamBody (a Node Readable or a web stream, as its reader asks)
 * fed chunk by chunk as the socket delivers them (no copy, paused when the reader falls behind). It
 * knows whether the request was written to the connection, which tells a reset before the request
 * from one after it (Envoy's reset-before-request).
 *
 * The try's cancellation ends it at once, with the cancellation's reason (`per-try-timeout`,
 * `timeout`, `cancelled`): before the headers the promise rejects right away (the undici request is
 * aborted as soon as undici hands over its abort, which for a request still waiting for a connection
 * is when it gets one); after them the body fails. Every failure settles the promise or errors the
 * body stream: none escapes as an unhandled rejection.
 */
export class CallHandler implements BodySource {
  readonly response: Promise<MeshResponse>
  private resolve!: (response: MeshResponse) => void
  private reject!: (error: unknown) => void
  private abortTry: ((reason?: Error) => void) | undefined
  private resumeSocket: (() => void) | undefined
  private body: UpstreamBody | undefined
  private requestSent = false
  private settled = false
  private cancelReason: CancelReason | undefined
  private readonly cancellation: Cancellation | undefined
  private readonly onCancel = (reason: CancelReason): void => {
    this.cancelReason = reason
    const failure = new UpstreamFailureError(reason, this.requestSent, undefined)
    this.abortTry?.(failure)
    if (!this.settled) {
      this.settled = true
      this.reject(failure)
    }
  }

  constructor(cancellation: Cancellation | undefined) {
    this.response = new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    this.cancellation = cancellation
    cancellation?.onCancel(this.onCancel)
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.abortTry = abort
    if (this.cancelReason !== undefined) abort(new UpstreamFailureError(this.cancelReason, false, undefined))
  }

  onBodySent(): void {
    this.requestSent = true
  }

  onRequestSent(): void {
    this.requestSent = true
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true // 1xx informational answers are not the response
    if (this.settled) return false // cancelled before the headers came: nobody waits for them
    this.requestSent = true
    this.resumeSocket = resume
    const body = new UpstreamBody(this)
    this.body = body
    this.settled = true
    this.resolve({ status: statusCode, headers: parseRawHeaders(rawHeaders), body, localReason: undefined })
    return true
  }

  onData(chunk: Buffer): boolean {
    const body = this.body
    if (body === undefined) return true
    return body.upstreamData(chunk)
  }

  onComplete(): void {
    this.cleanup()
    this.body?.upstreamEnded()
  }

  /** BodySource: the reader wants more bytes. */
  resume(): void {
    this.resumeSocket?.()
  }

  /** BodySource: the reader gave up on the body before its end. */
  abandon(): void {
    this.cleanup()
    this.abortTry?.(new DOMException('response body cancelled', 'AbortError'))
  }

  onError(error: Error): void {
    this.cleanup()
    const failure = this.toFailure(error)
    if (!this.settled) {
      this.settled = true
      this.reject(failure)
      return
    }
    this.body?.upstreamFailed(failure)
  }

  private toFailure(error: Error): Error {
    if (this.cancelReason !== undefined) return error instanceof UpstreamFailureError ? error : new UpstreamFailureError(this.cancelReason, this.requestSent, error)
    const reason = failureReasonOf(error, this.requestSent)
    if (reason === undefined) return new MeshError('MESHLET_ERR_INVALID_REQUEST', `the request cannot be sent: ${error.message}`, { cause: error })
    return new UpstreamFailureError(reason, this.requestSent, error)
  }

  private cleanup(): void {
    // Once the token fired it drops its listeners itself; unsubscribing from inside its callback
    // would change the list it is calling.
    if (this.cancelReason === undefined) this.cancellation?.offCancel(this.onCancel)
    this.body?.markOver()
  }
}
