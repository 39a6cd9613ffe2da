import { defaultClassifier } from '@meshlet/core'
import type { Classifier, Layer } from '@meshlet/core'
import type { CallAdapter } from '../call/adapter.js'
import { BREAKER_REJECTED } from './breaker.js'
import type { BreakerPolicy, BreakerRegistry } from './registry.js'

export type BreakerAdapter<Req, Res, Ctx> = Pick<CallAdapter<Req, Res, Ctx>, 'method' | 'responseOutcome' | 'failureOutcome' | 'localReply'>

export interface BreakerLayerOptions<Req, Res, Ctx> {
  readonly adapter: BreakerAdapter<Req, Res, Ctx>
  readonly registry: BreakerRegistry
  /** The destination cluster and its breaker settings; undefined = no breaker. */
  readonly breakerOf: (request: Req, context: Ctx) => BreakerPolicy | undefined
  /** The idea of failure: the route's retry classifier, or core's default (5xx and transport failures). */
  readonly classifierOf?: ((request: Req, context: Ctx) => Classifier) | undefined
}

/**
 * The `meshlet.io/circuit-breaker` layer: calls to a destination whose breaker is open are answered
 * at once with a local 503 (`x-meshlet-reason: circuit-open`), which is never retried. Failures are
 * what the classifier says; answers meshlet made itself (overflow, no healthy upstream) and the
 * caller's own aborts do not count. Placed per try, below the retry layer and above the pool
 * limits, so every try counts and a retry meets an open circuit.
 */
export function createBreakerLayer<Req, Res, Ctx>(options: BreakerLayerOptions<Req, Res, Ctx>): Layer<Req, Res, Ctx> {
  const { adapter, registry, breakerOf, classifierOf } = options
  const errorCounts = (error: unknown): boolean => {
    const failure = adapter.failureOutcome(error)
    return failure !== undefined && failure.reason !== 'cancelled'
  }
  return (next) => (request, context) => {
    const policy = breakerOf(request, context)
    const breaker = policy === undefined ? undefined : registry.breakerFor(policy)
    if (breaker === undefined) return next(request, context)
    const classify = classifierOf?.(request, context) ?? defaultClassifier
    const target = { method: adapter.method(request) }
    const isFailure = (response: Res): boolean => {
      const outcome = adapter.responseOutcome(response)
      return outcome.localReason === undefined && classify(outcome, target) !== 'success'
    }
    return breaker.execute(() => next(request, context), isFailure, errorCounts).then((result) =>
      result === BREAKER_REJECTED ? adapter.localReply(503, 'circuit-open') : result,
    )
  }
}
