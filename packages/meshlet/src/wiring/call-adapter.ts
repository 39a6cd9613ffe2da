import { UpstreamFailureError, discardBody, failureOutcome, localReply, responseOutcome } from '@meshlet/core'
import type { LocalReason, MeshRequest, MeshResponse } from '@meshlet/core'
import { replayRequestBody } from '@meshlet/resilience'
import type { CallAdapter, RequestReplay } from '@meshlet/resilience'
import type { MeshCallContext } from '../call-context.js'
import { onBodyDone } from './body-done.js'

/** Envoy tells the upstream the time it was given (router filter, x-envoy-expected-rq-timeout-ms). */
const EXPECTED_TIMEOUT_HEADER = 'x-envoy-expected-rq-timeout-ms'

/**
 * How the resilience layers see this mesh's calls: MeshRequest, MeshResponse and MeshCallContext.
 * Deadlines and cancellation travel in the context, where the transport reads the cancellation
 * to stop a try that was cancelled above it.
 */
export const meshCallAdapter: CallAdapter<MeshRequest, MeshResponse, MeshCallContext> = {
  method: (request) => request.method,
  responseOutcome,
  failureOutcome,
  failureError: (reason, requestSent, cause) => new UpstreamFailureError(reason, requestSent, cause),
  localReply: (status, reason, headers) => localReply(status, reason as LocalReason, headers),
  discardResponse: (response) => discardBody(response.body),
  onBodyDone,
  deadlineOf: (context) => context.deadlineMs,
  cancellationOf: (context) => context.cancellation,
  withDeadline: (context, deadlineMs, cancellation) => ({ ...context, deadlineMs, cancellation }),
  // No withCancellation: the transport listens to context.cancellation itself, which spares an
  // AbortController per call (costly in Node 20); the request keeps the caller's signal.
  withExpectedTimeout: (request, timeoutMs) => ({ ...request, headers: withHeader(request.headers, EXPECTED_TIMEOUT_HEADER, String(Math.max(0, Math.floor(timeoutMs)))) }),
  withTry: (context, attempt, tried) => ({ ...context, attempt, triedEndpoints: tried.endpoints as MeshCallContext['triedEndpoints'], tried: tried as MeshCallContext['tried'] }),
  // A streamed body is kept (up to the limit) as the first try reads it, so a retry can send it again.
  replayOf: (request, limitBytes): RequestReplay<MeshRequest> => replayRequestBody(request, request.body, limitBytes, (original, body) => ({ ...original, body })),
}

/**
 * A copy of `headers` with `name` set. Copied key by key: in Node 20 (V8 11.3) spreading an object
 * into a literal that adds a key costs about 1 µs, five times this loop (benchmarks/resilience-load).
 */
function withHeader(headers: MeshRequest['headers'], name: string, value: string): MeshRequest['headers'] {
  const copy: Record<string, string> = {}
  for (const key in headers) copy[key] = headers[key]!
  copy[name] = value
  return copy
}
