import { failureOutcome, responseOutcome } from '@meshlet/core'
import type { CallContext, Classifier, TryLayer } from '@meshlet/core'

export interface ClassifyLayerOptions<Call extends CallContext> {
  /** The route's classifier for this call (its retry policy with the cluster's outlier mode; see classifierFor). */
  readonly classifierOf: (call: Call) => Classifier
}

/**
 * Right above the transport: turns what happened to the try into its one CallOutcome and its one
 * verdict, in the try's state (cockatiel's single executor decision, Finagle's ResponseClassifier).
 * Every layer above reads `state.verdict`; none judges the answer again.
 */
export function createClassifyLayer<Call extends CallContext>(options: ClassifyLayerOptions<Call>): TryLayer<Call> {
  const { classifierOf } = options
  return (next) => (request, state) =>
    next(request, state).then(
      (response) => {
        const outcome = responseOutcome(response)
        state.outcome = outcome
        state.verdict = classifierOf(state.call)(outcome)
        return response
      },
      (error: unknown) => {
        const outcome = failureOutcome(error)
        if (outcome !== undefined) {
          state.outcome = outcome
          state.verdict = classifierOf(state.call)(outcome)
        }
        throw error
      },
    )
}
