import type { CallOutcome } from './outcome.js'

/**
 * Finagle's ResponseClass, reduced to what Envoy distinguishes: a success, a failure that the route's
 * policy allows to retry, or a failure that must not be retried.
 */
export type OutcomeClass = 'success' | 'retryable-failure' | 'failure'

export type Classifier = (outcome: CallOutcome, request: { readonly method: string }) => OutcomeClass

/** Without a policy: 5xx responses and every transport failure are failures, none retryable. */
export const defaultClassifier: Classifier = (outcome) => {
  if (outcome.kind === 'response') return outcome.status >= 500 ? 'failure' : 'success'
  return 'failure'
}
