import type { MeshEndpoint } from '../http/endpoint.js'
import type { CallOutcome } from '../outcome/outcome.js'
import type { Verdict } from '../outcome/verdict.js'
import type { CallContext } from './call-context.js'
import type { Cancellation } from './cancellation.js'

const NO_ENDPOINTS: readonly MeshEndpoint[] = Object.freeze([])

/**
 * One try of a call, from the retry layer down to the transport: the one place a try's facts
 * live. The retry layer makes a new one for every try (never shared between tries or calls); the
 * layers below fill it as the try goes (the per-try timeout its deadline and cancellation, the
 * balancer its endpoint, the classifier next to the transport its outcome and verdict) and the
 * layers above read it afterwards (`call.lastTry`).
 */
export class TryState<Call extends CallContext = CallContext> {
  readonly call: Call
  /** 0 for the first try. */
  readonly attempt: number
  /** Endpoints the earlier tries of this call went to, oldest first (Envoy's previous_hosts predicate). */
  readonly tried: readonly MeshEndpoint[]
  /** clock.now() when the try started. */
  readonly startedAtMs: number
  /**
   * Stops this try: the call's cancellation, or (set by the per-try timeout layer) a child of it that
   * also fires at the per-try deadline. Its reason says why a cancelled try ended; nothing re-reads
   * it from an error.
   */
  cancellation: Cancellation | undefined
  /** The try's deadline: the call's, or the earlier per-try one (set by the per-try timeout layer). */
  deadlineMs: number | undefined
  /** Set by the balancer: the endpoint this try goes to. */
  endpoint: MeshEndpoint | undefined = undefined
  /** Set next to the transport: what happened. */
  outcome: CallOutcome | undefined = undefined
  /** Set with `outcome`: the route's classifier's one judgement of it. */
  verdict: Verdict | undefined = undefined

  constructor(call: Call, attempt: number, tried: readonly MeshEndpoint[] = NO_ENDPOINTS) {
    this.call = call
    this.attempt = attempt
    this.tried = tried
    this.startedAtMs = call.clock.now()
    this.cancellation = call.cancellation
    this.deadlineMs = call.deadlineMs
  }

  /** The endpoints tried by this try and the ones before it, for the next try. */
  triedWithThis(): readonly MeshEndpoint[] {
    const endpoint = this.endpoint
    if (endpoint === undefined) return this.tried
    for (const seen of this.tried) if (seen.id === endpoint.id) return this.tried
    return Object.freeze([...this.tried, endpoint])
  }
}
