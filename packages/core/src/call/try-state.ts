import type { MeshEndpoint } from '../http/endpoint.js'
import { failureOutcome, responseOutcome } from '../http/outcome.js'
import type { MeshResponse } from '../http/response.js'
import type { CallOutcome } from '../outcome/outcome.js'
import type { Classifier, Verdict } from '../outcome/verdict.js'
import type { CallContext } from './call-context.js'
import type { Cancellation } from './cancellation.js'

const NO_ENDPOINTS: readonly MeshEndpoint[] = Object.freeze([])

/**
 * What a per-try layer leaves behind to be told when its try ends, instead of wrapping the rest of
 * the try in a promise of its own: the try's executor (runTry) tells every observer once, innermost
 * first, after the one verdict is in.
 */
export interface TryObserver<Call extends CallContext = CallContext> {
  /**
   * The try is over: `state.outcome` and `state.verdict` are set (both undefined after an error that
   * is not an upstream failure, a bug). `response` is the answer, or undefined when the try ended
   * without one; return it, or a changed copy (a balancer adds its Set-Cookie).
   */
  tryEnded(state: TryState<Call>, response: MeshResponse | undefined): MeshResponse | undefined
}

/**
 * One try of a call, from the retry layer down to the transport: the one place a try's facts
 * live. The retry layer makes a new one for every try (never shared between tries or calls); the
 * layers below fill it as the try goes (the per-try timeout its deadline and cancellation, the
 * balancer its endpoint) and leave observers; the executor (runTry) sets its outcome and verdict
 * and tells the observers; the layers above read it afterwards (`call.lastTry`).
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
  /** Set when the try ends: what happened. */
  outcome: CallOutcome | undefined = undefined
  /** Set with `outcome`: the route's classifier's one judgement of it. */
  verdict: Verdict | undefined = undefined
  #observers: TryObserver<Call> | Array<TryObserver<Call>> | undefined = undefined
  #ended = false

  constructor(call: Call, attempt: number, tried: readonly MeshEndpoint[] = NO_ENDPOINTS, startedAtMs: number = call.clock.now()) {
    this.call = call
    this.attempt = attempt
    this.tried = tried
    this.startedAtMs = startedAtMs
    this.cancellation = call.cancellation
    this.deadlineMs = call.deadlineMs
  }

  /** Asks to be told when this try ends (see TryObserver). */
  observe(observer: TryObserver<Call>): void {
    const observers = this.#observers
    // One observer is common; no array for it.
    if (observers === undefined) this.#observers = observer
    else if (Array.isArray(observers)) observers.push(observer)
    else this.#observers = [observers, observer]
  }

  /** The endpoints tried by this try and the ones before it, for the next try. */
  triedWithThis(): readonly MeshEndpoint[] {
    const endpoint = this.endpoint
    if (endpoint === undefined) return this.tried
    for (const seen of this.tried) if (seen.id === endpoint.id) return this.tried
    return Object.freeze([...this.tried, endpoint])
  }

  /** Executor: the try answered; judge it, tell the observers, return the (possibly changed) answer. */
  endWithResponse(response: MeshResponse, classify: Classifier): MeshResponse {
    const outcome = responseOutcome(response)
    this.outcome = outcome
    this.verdict = classify(outcome)
    return this.#tell(response) ?? response
  }

  /** Executor: the try threw; judge an upstream failure (a bug gets no verdict) and tell the observers. */
  endWithError(error: unknown, classify: Classifier): void {
    const outcome = failureOutcome(error)
    if (outcome !== undefined) {
      this.outcome = outcome
      this.verdict = classify(outcome)
    }
    this.#tell(undefined)
  }

  #tell(response: MeshResponse | undefined): MeshResponse | undefined {
    if (this.#ended) return response
    this.#ended = true
    const observers = this.#observers
    if (observers === undefined) return response
    if (!Array.isArray(observers)) return observers.tryEnded(this, response)
    // Innermost first, as the layers would see it on the way back up.
    for (let index = observers.length - 1; index >= 0; index--) response = observers[index]!.tryEnded(this, response)
    return response
  }
}
