import type { MeshResponseHeaders } from '../http/headers.js'

/**
 * What happened to one try of a call, in the terms Envoy's retry and outlier logic use. The
 * transport produces it; retry, outlier detection, the breaker and telemetry read it through one
 * classifier, so no layer invents its own idea of failure.
 */

/** Why a try produced no upstream response (Envoy response flags in brackets). */
export type FailureReason =
  /** TCP connect refused or failed (UF). */
  | 'connect-failure'
  /** TCP connect did not finish within connectTimeout (UF). */
  | 'connect-timeout'
  /** Connection reset before any request byte was sent. */
  | 'reset-before-request'
  /** Connection reset or closed after the request was sent, before a full response (UC/UR). */
  | 'reset'
  /** The HTTP/2 stream was refused (REFUSED_STREAM). */
  | 'refused-stream'
  /** The per-try timeout fired (UT). */
  | 'per-try-timeout'
  /** The route timeout or the caller's deadline fired (UT). */
  | 'timeout'
  /** The caller aborted. */
  | 'cancelled'

export interface ResponseOutcome {
  readonly kind: 'response'
  readonly status: number
  /** The response headers (lower-case names: grpc-status, x-envoy-overloaded, ...); read with responseHeader(). */
  readonly headers: MeshResponseHeaders
  /** Set when meshlet answered locally rather than an upstream (overflow, no route, fault abort). */
  readonly localReason: string | undefined
}

export interface FailureOutcome {
  readonly kind: 'failure'
  readonly reason: FailureReason
  /** Whether any request byte reached the upstream (decides reset-before-request and replays). */
  readonly requestSent: boolean
  readonly error: unknown
}

export type CallOutcome = ResponseOutcome | FailureOutcome

/** Local failures that Envoy counts as "local origin" in outlier detection. */
export function isLocalOriginFailure(outcome: CallOutcome): boolean {
  return outcome.kind === 'failure' && outcome.reason !== 'cancelled'
}
