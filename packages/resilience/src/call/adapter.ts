import type { FailureOutcome, FailureReason, ResponseOutcome } from '@meshlet/core'
import type { Cancellation } from '../deadline/cancellation.js'
import type { TriedEndpoints } from '../retry/tried-endpoints.js'

/**
 * How the resilience layers see a call of the data plane. The layers are generic over the request,
 * response and context types (`Handler<Req, Res, Ctx>` from @meshlet/core), so this package needs
 * no data-plane types: the composition root passes one adapter for its MeshRequest/MeshResponse/
 * CallContext, and tests pass a scripted one. Each layer asks only for the functions it uses.
 */
export interface CallAdapter<Req, Res, Ctx> {
  /** The request method, upper case. */
  method(request: Req): string
  /** What happened on a try that produced a response (upstream or local). */
  responseOutcome(response: Res): ResponseOutcome
  /**
   * What happened on a try that threw: a FailureOutcome for an upstream failure; undefined for any
   * other error (a bug, not a failure of the call), which layers rethrow untouched.
   */
  failureOutcome(error: unknown): FailureOutcome | undefined
  /** The error to throw for a try that ended without a response (a per-try timeout). */
  failureError(reason: FailureReason, requestSent: boolean, cause?: unknown): unknown
  /** A response meshlet answers itself (504 timeout, 503 overflow), naming `reason` in x-meshlet-reason. */
  localReply(status: number, reason: string, headers?: Readonly<Record<string, string>>): Res
  /** Releases the body of a response nobody will read (a retried 503, an answer that lost to a timeout). */
  discardResponse(response: Res): void
  /**
   * Returns the response (wrapped if need be) so that `done` runs once its body has been read to
   * the end, failed or been discarded. Envoy keeps a request active and under the route timeout
   * until the whole response is in; without this hook the layers let go when headers arrive.
   */
  onBodyDone?(response: Res, done: () => void): Res
  /** The call's deadline (absolute, on the Clock's scale), if any. */
  deadlineOf(context: Ctx): number | undefined
  /** The token that cancels the call (a timeout above, else the caller's own abort signal on `request`), if any. */
  cancellationOf(context: Ctx, request: Req): Cancellation | undefined
  /** The context for the layers below a timeout: its deadline and the token that fires with it. */
  withDeadline(context: Ctx, deadlineMs: number, cancellation: Cancellation): Ctx
  /** The request for the layers below a timeout (e.g. with a signal following `cancellation`); identity when absent. */
  withCancellation?(request: Req, cancellation: Cancellation): Req
  /**
   * The request with `x-envoy-expected-rq-timeout-ms` (and, for gRPC, `grpc-timeout`) set to
   * `timeoutMs`, so the upstream knows its deadline; when absent no deadline header is sent.
   */
  withExpectedTimeout?(request: Req, timeoutMs: number): Req
  /** The context of one try below the retry layer: attempt number and endpoints already tried. */
  withTry(context: Ctx, attempt: number, tried: TriedEndpoints): Ctx
  /**
   * How to send the request body again on a retry (see createBodyReplay); when absent every
   * request counts as replayable as it is.
   */
  replayOf?(request: Req, limitBytes: number): RequestReplay<Req>
}

/** The per-call plan for sending one request on several tries. */
export interface RequestReplay<Req> {
  /** The request to send on the next try. */
  requestForTry(): Req
  /** Why the request cannot be sent again, or undefined when it can. */
  blockedBy(): ReplayBlock | undefined
  /** Called once the call is over: releases buffers and closes a body stream nobody finished. */
  dispose(): void
}

/** Why a body cannot be sent again: it is (or grew) larger than the replay buffer limit. */
export type ReplayBlock = 'body-too-large'
