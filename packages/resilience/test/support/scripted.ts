import type { FailureOutcome, FailureReason, ResponseOutcome } from '@meshlet/core'
import type { CallAdapter } from '../../src/call/adapter.js'
import { Cancellation } from '../../src/deadline/cancellation.js'
import type { ClusterLimits } from '../../src/pool/registry.js'
import { replayRequestBody } from '../../src/retry/replay.js'
import type { ReplayableBody } from '../../src/retry/replay.js'
import type { TriedEndpoints } from '../../src/retry/tried-endpoints.js'

/** A request as the scripted handlers see it. */
export interface TestRequest {
  readonly method: string
  readonly body: ReplayableBody
  readonly headers?: Readonly<Record<string, string>>
}

export interface TestResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly localReason: string | undefined
  /** Set by discardResponse. */
  discarded?: boolean
  /** Set by the adapter's onBodyDone; call it to finish the body. */
  finishBody?: () => void
}

export interface TestContext {
  readonly deadlineMs?: number | undefined
  readonly cancellation?: Cancellation | undefined
  readonly attempt?: number
  readonly tried?: TriedEndpoints | undefined
  readonly cluster?: ClusterLimits | undefined
  readonly endpoint?: string | undefined
}

/** The error a scripted upstream throws for a try without a response (like core's UpstreamFailureError). */
export class TestFailure extends Error {
  readonly outcome: FailureOutcome
  constructor(reason: FailureReason, requestSent: boolean, cause?: unknown) {
    super(`upstream failure: ${reason}`, { cause })
    this.outcome = { kind: 'failure', reason, requestSent, error: cause }
  }
}

export function response(status: number, headers: Record<string, string> = {}, localReason?: string): TestResponse {
  return { status, headers, localReason }
}

export function outcomeOf(status: number, headers: Record<string, string> = {}, localReason?: string): ResponseOutcome {
  return { kind: 'response', status, header: (name) => headers[name], localReason }
}

export function failureOf(reason: FailureReason, requestSent = true): FailureOutcome {
  return { kind: 'failure', reason, requestSent, error: undefined }
}

/** Failures that happen before any request byte leaves. */
const NOT_SENT: ReadonlySet<FailureReason> = new Set(['connect-failure', 'connect-timeout', 'reset-before-request'])

/** The adapter the layers are tested with; `bodyDone` makes responses wait for finishBody(). */
export function testAdapter(options: { bodyDone?: boolean } = {}): CallAdapter<TestRequest, TestResponse, TestContext> {
  return {
    method: (request) => request.method,
    responseOutcome: (res) => ({ kind: 'response', status: res.status, header: (name) => res.headers[name], localReason: res.localReason }),
    failureOutcome: (error) => (error instanceof TestFailure ? error.outcome : undefined),
    failureError: (reason, requestSent, cause) => new TestFailure(reason, requestSent, cause),
    localReply: (status, reason, headers = {}) => ({ status, headers: { ...headers, 'x-meshlet-reason': reason }, localReason: reason }),
    discardResponse: (res) => {
      res.discarded = true
    },
    deadlineOf: (context) => context.deadlineMs,
    cancellationOf: (context) => context.cancellation,
    withDeadline: (context, deadlineMs, cancellation) => ({ ...context, deadlineMs, cancellation }),
    withTry: (context, attempt, tried) => ({ ...context, attempt, tried }),
    replayOf: (request, limitBytes) => replayRequestBody(request, request.body, limitBytes, (req, body) => ({ ...req, body })),
    ...(options.bodyDone === true
      ? {
          onBodyDone: (res: TestResponse, done: () => void) => {
            res.finishBody = done
            return res
          },
        }
      : {}),
  }
}

/** One scripted step: a status, a failure reason, a full response, or 'hang' (never answers until cancelled). */
export type Step = number | FailureReason | TestResponse | 'hang'

export interface ScriptedUpstream {
  (request: TestRequest, context: TestContext): Promise<TestResponse>
  /** Every try that reached the upstream. */
  readonly calls: Array<{ readonly request: TestRequest; readonly context: TestContext; readonly body: string | undefined }>
}

/**
 * A handler that answers tries from a script, in order (the last step repeats), reads streamed
 * bodies to the end like a server, and records what it received.
 */
export function scriptedUpstream(steps: readonly Step[]): ScriptedUpstream {
  const calls: Array<{ request: TestRequest; context: TestContext; body: string | undefined }> = []
  const handler = async (request: TestRequest, context: TestContext): Promise<TestResponse> => {
    const step = steps[Math.min(calls.length, steps.length - 1)]!
    const record = { request, context, body: undefined as string | undefined }
    calls.push(record)
    if (typeof step === 'string' && step !== 'hang' && NOT_SENT.has(step)) throw new TestFailure(step, false)
    record.body = await readBody(request.body)
    if (step === 'hang') return hang(context.cancellation)
    if (typeof step === 'number') return response(step)
    if (typeof step === 'string') throw new TestFailure(step, true)
    return { ...step }
  }
  return Object.assign(handler, { calls })
}

function hang(cancellation: Cancellation | undefined): Promise<TestResponse> {
  return new Promise((_, reject) => {
    cancellation?.onCancel((reason) => reject(new TestFailure(reason, true)))
  })
}

export async function readBody(body: ReplayableBody): Promise<string | undefined> {
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
