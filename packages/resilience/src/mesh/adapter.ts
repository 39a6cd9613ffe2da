import { discardBody, failureOutcome, localReply, responseHeader, UpstreamFailureError } from '@meshlet/core'
import type { CallContext, LocalReason, MeshEndpoint, MeshRequest, MeshResponse } from '@meshlet/core'
import type { CallAdapter } from '../call/adapter.js'
import { Cancellation } from '../deadline/cancellation.js'
import { formatGrpcTimeout, isGrpcContentType } from '../deadline/index.js'
import { replayRequestBody } from '../retry/replay.js'
import type { TriedEndpoints } from '../retry/tried-endpoints.js'
import { bodyWithDone } from './body.js'
import { deriveRequest, withCancellationSignal } from './request.js'

/** Context fields the resilience layers add to core's CallContext (symbol keys: other layers' spreads keep them). */
const CANCELLATION = Symbol('meshlet.context.cancellation')
const TRIED = Symbol('meshlet.context.tried')

type ResilientContext = CallContext & {
  readonly [CANCELLATION]?: Cancellation
  readonly [TRIED]?: TriedEndpoints<MeshEndpoint>
}

const NO_ENDPOINTS: readonly MeshEndpoint[] = Object.freeze([])

/** One Cancellation per caller AbortSignal, so a signal shared by many calls gets one listener. */
const signalCancellations = new WeakMap<AbortSignal, Cancellation>()

function cancellationForSignal(signal: AbortSignal): Cancellation {
  let cancellation = signalCancellations.get(signal)
  if (cancellation === undefined) {
    cancellation = Cancellation.fromSignal(signal)
    signalCancellations.set(signal, cancellation)
  }
  return cancellation
}

/**
 * The CallAdapter for core's MeshRequest, MeshResponse and CallContext, so the meshlet package
 * can wire the layers without writing one. The layers' own state rides on the context under
 * symbol keys: the call's Cancellation (which also follows the caller's AbortSignal) and the
 * endpoints tried so far, which fill `context.triedEndpoints` for the balancer.
 */
export function meshCallAdapter<Ctx extends CallContext>(): CallAdapter<MeshRequest, MeshResponse, Ctx> {
  return {
    method: (request) => request.method,
    responseOutcome: (response) => ({
      kind: 'response',
      status: response.status,
      header: (name) => responseHeader(response.headers, name),
      localReason: response.localReason,
    }),
    failureOutcome: (error) => failureOutcome(error),
    failureError: (reason, requestSent, cause) => new UpstreamFailureError(reason, requestSent, cause),
    localReply: (status, reason, headers) => localReply(status, reason as LocalReason, headers),
    discardResponse: (response) => discardBody(response.body),
    onBodyDone: (response, done) => ({ ...response, body: bodyWithDone(response.body, done) }),
    deadlineOf: (context) => context.deadlineMs,
    cancellationOf: (context, request) => callerCancellation(request, context),
    withDeadline: (context, deadlineMs, cancellation) => ({ ...context, deadlineMs, [CANCELLATION]: cancellation }),
    withCancellation: (request, cancellation) => withCancellationSignal(request, cancellation),
    withExpectedTimeout: (request, timeoutMs) => {
      const headers: Record<string, string> = { ...request.headers, 'x-envoy-expected-rq-timeout-ms': String(timeoutMs) }
      if (isGrpcContentType(request.headers['content-type'])) headers['grpc-timeout'] = formatGrpcTimeout(timeoutMs)
      return deriveRequest(request, { headers })
    },
    withTry: (context, attempt, tried) => ({
      ...context,
      attempt,
      // A copy as of this try's start: the list the balancer must avoid, unchanged by later tries.
      triedEndpoints: tried.size === 0 ? NO_ENDPOINTS : (tried.endpoints.slice() as unknown as readonly MeshEndpoint[]),
      [TRIED]: tried as unknown as TriedEndpoints<MeshEndpoint>,
    }),
    replayOf: (request, limitBytes) => replayRequestBody(request, request.body, limitBytes, (req, body) => deriveRequest(req, { body })),
  }
}

/**
 * The caller's AbortSignal as the root Cancellation of a call (the route timeout layer makes its
 * own token a child of it). Used by the mesh layers' context before any timeout ran.
 */
export function callerCancellation(request: MeshRequest, context: CallContext): Cancellation | undefined {
  return (context as ResilientContext)[CANCELLATION] ?? (request.signal === undefined ? undefined : cancellationForSignal(request.signal))
}

/** Records the endpoint the balancer chose for this try, so later tries avoid it (Envoy previous_hosts). */
export function recordTriedEndpoint(context: CallContext): void {
  const endpoint = context.endpoint
  if (endpoint !== undefined) (context as ResilientContext)[TRIED]?.record(endpoint)
}
