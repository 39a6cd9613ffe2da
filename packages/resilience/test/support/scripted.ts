import { CallContext, Cancellation, TryState, UpstreamFailureError, endpointId, runTry, systemRandom } from '@meshlet/core'
import type { CallOutcome, CallTarget, Clock, FailureOutcome, FailureReason, MeshEndpoint, MeshRequest, MeshResponse, ResponseOutcome, TrackedBody, TryHandler, Verdict } from '@meshlet/core'
import { classifierFor } from '../../src/classify/classifier.js'
import type { RetryPolicyConfig } from '../../src/retry/policy.js'
import { FakeClock } from './fake-clock.js'

/** A request as the layers see it (core's MeshRequest), for a GET or a POST with a body. */
export function request(method = 'GET', body: MeshRequest['body'] = null, headers: Record<string, string> = {}): MeshRequest {
  return { method, scheme: 'http', authority: 'svc:8080', path: '/', headers, body }
}

export const GET = request()
export const POST = request('POST', '{"amount":10}')

/** A response body whose end the test decides (finish()), like a transport body still streaming. */
export interface HeldBody extends TrackedBody, AsyncIterable<Uint8Array> {
  finish(): void
  readonly finished: boolean
  destroyed: boolean
}

export function heldBody(): HeldBody {
  const listeners: Array<() => void> = []
  const body = {
    finished: false,
    destroyed: false,
    receivedBytes: 0,
    whenOver(listener: () => void) {
      if (body.finished) listener()
      else listeners.push(listener)
    },
    finish() {
      if (body.finished) return
      body.finished = true
      for (const listener of listeners.splice(0)) listener()
    },
    destroy() {
      body.destroyed = true
      body.finish()
    },
    async *[Symbol.asyncIterator]() {},
  }
  return body
}

/** A response from the upstream, with a body held until the test finishes it when `held` is given. */
export function response(status: number, headers: Record<string, string> = {}, body: HeldBody | null = null): MeshResponse {
  return { status, headers, body, localReason: undefined }
}

export function outcomeOf(status: number, headers: Record<string, string> = {}, localReason?: string): ResponseOutcome {
  return { kind: 'response', status, headers, localReason }
}

export function failureOf(reason: FailureReason, requestSent = true): FailureOutcome {
  return { kind: 'failure', reason, requestSent, error: undefined }
}

export function endpoint(address: string, port = 8080): MeshEndpoint {
  return { id: endpointId(address, port), address, port, labels: {}, locality: undefined, weight: 1 }
}

/** A call as the router leaves it: a target with endpoints, the clock, a cancellation of its own when asked. */
export function testCall(options: { clock?: Clock; deadlineMs?: number; cancellation?: Cancellation; target?: Partial<CallTarget> } = {}): CallContext {
  const call = new CallContext({
    snapshot: undefined,
    clock: options.clock ?? new FakeClock(0),
    random: systemRandom,
    inbound: undefined,
    meshOnlyHeaders: [],
    cancellation: options.cancellation,
  })
  call.deadlineMs = options.deadlineMs
  call.target = {
    key: 'outbound|8080||svc.default.svc.cluster.local',
    host: 'svc.default.svc.cluster.local',
    subset: undefined,
    port: 8080,
    policy: undefined,
    endpoints: [endpoint('10.0.0.1')],
    passthrough: false,
    inMesh: true,
    upstreamScheme: 'http',
    sni: undefined,
    protocol: 'http1',
    ...options.target,
  }
  return call
}

/** A try of a call, its endpoint already picked (as the balancer would). */
export function testTry(call: CallContext = testCall(), attempt = 0, picked: MeshEndpoint | undefined = endpoint('10.0.0.1')): TryState {
  const state = new TryState(call, attempt)
  state.endpoint = picked
  return state
}

/** Failures that happen before any request byte leaves. */
const NOT_SENT: ReadonlySet<FailureReason> = new Set(['connect-failure', 'connect-timeout', 'reset-before-request'])

/** One scripted step: a status, a failure reason, a full response, or 'hang' (never answers until the try is cancelled). */
export type Step = number | FailureReason | MeshResponse | 'hang'

export interface ScriptedUpstream extends TryHandler {
  /** Every try that reached the upstream, with what it sent. */
  readonly calls: Array<{ readonly request: MeshRequest; readonly state: TryState; readonly body: string | undefined }>
}

/**
 * A try handler answering from a script, in order (the last step repeats), as the transport does:
 * a response, or an UpstreamFailureError. Streamed bodies are read to the end like a server reads
 * them; a hanging try ends when its cancellation fires, with the cancellation's reason.
 */
export function scriptedUpstream(steps: readonly Step[]): ScriptedUpstream {
  const calls: Array<{ request: MeshRequest; state: TryState; body: string | undefined }> = []
  const handler = async (request: MeshRequest, state: TryState): Promise<MeshResponse> => {
    const step = steps[Math.min(calls.length, steps.length - 1)]!
    const record = { request, state, body: undefined as string | undefined }
    calls.push(record)
    if (typeof step === 'string' && step !== 'hang' && NOT_SENT.has(step)) throw new UpstreamFailureError(step, false, undefined)
    record.body = await readBody(request.body)
    if (step === 'hang') return hang(state.cancellation)
    if (typeof step === 'number') return response(step)
    if (typeof step === 'string') throw new UpstreamFailureError(step, true, undefined)
    return { ...step }
  }
  return Object.assign(handler, { calls })
}

/**
 * The per-try handler run by the try executor, as the retry layer runs it: the answer is judged by
 * the classifier of `retry` and the observers the layers above left are told. For tests of one
 * per-try layer: `layer(executed(upstream))`.
 */
export function executed(upstream: TryHandler, retry?: RetryPolicyConfig, httpErrorCodes?: readonly number[]): TryHandler {
  const outlier = httpErrorCodes === undefined ? undefined : { httpErrorCodes }
  return (request, state) => runTry(upstream, request, state, classifierFor(retry, outlier))
}

/** The verdict the classifier gives an outcome under a retry policy (for tests of layers that read verdicts). */
export function verdictOf(outcome: CallOutcome, retry?: RetryPolicyConfig): Verdict {
  return classifierFor(retry, undefined)(outcome)
}

function hang(cancellation: Cancellation | undefined): Promise<MeshResponse> {
  return new Promise((_, reject) => {
    cancellation?.onCancel((reason) => reject(new UpstreamFailureError(reason, true, undefined)))
  })
}

export async function readBody(body: MeshRequest['body']): Promise<string | undefined> {
  if (body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return Buffer.from(body).toString()
  const parts: Uint8Array[] = []
  for await (const chunk of body) parts.push(chunk)
  return Buffer.concat(parts).toString()
}

export async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part)
}

export { Cancellation }
