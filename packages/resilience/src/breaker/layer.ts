import { localReply } from '@meshlet/core'
import type { CallContext, MeshResponse, TryLayer, TryObserver, TryState } from '@meshlet/core'
import type { BreakerTicket, ErrorRatioBreaker } from './breaker.js'
import type { BreakerPolicy, BreakerRegistry } from './registry.js'

export interface BreakerLayerOptions<Call extends CallContext> {
  readonly registry: BreakerRegistry
  /** The destination cluster and its breaker settings; undefined = no breaker. */
  readonly breakerOf: (call: Call) => BreakerPolicy | undefined
}

/**
 * The `meshlet.io/circuit-breaker` layer: tries to a destination whose breaker is open are answered
 * at once with a local 503 (`x-meshlet-reason: circuit-open`), which is never retried. What counts
 * is the try's verdict: a failure or retryable failure counts against the circuit, a success for
 * it, and a try charged to no endpoint (an answer meshlet made itself, the caller's own abort) not
 * at all. Placed per try, below the retry layer and above the pool limits, so every try counts and a
 * retry meets an open circuit.
 */
export function createBreakerLayer<Call extends CallContext>(options: BreakerLayerOptions<Call>): TryLayer<Call> {
  const { registry, breakerOf } = options
  return (next) => (request, state) => {
    const policy = breakerOf(state.call)
    const breaker = policy === undefined ? undefined : registry.breakerFor(policy)
    if (breaker === undefined) return next(request, state)
    const ticket = breaker.admit()
    if (ticket === undefined) return Promise.resolve(localReply(503, 'circuit-open'))
    // The circuit counts the try by its verdict, once the try has ended.
    state.observe(new CountedTry(breaker, ticket))
    return next(request, state)
  }
}

class CountedTry implements TryObserver {
  constructor(
    private readonly breaker: ErrorRatioBreaker,
    private readonly ticket: BreakerTicket,
  ) {}

  tryEnded(state: TryState, response: MeshResponse | undefined): MeshResponse | undefined {
    this.breaker.record(this.ticket, countsAsFailure(state))
    return response
  }
}

/** Whether the try's verdict counts against the circuit (errors that are not a try's failure are bugs, and count). */
function countsAsFailure(state: TryState): boolean {
  const verdict = state.verdict
  if (verdict === undefined) return true
  return verdict.endpoint.kind !== 'ignore' && verdict.result !== 'success'
}
