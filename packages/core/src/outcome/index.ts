export { isLocalOriginFailure } from './outcome.js'
export type { CallOutcome, ResponseOutcome, FailureOutcome, FailureReason } from './outcome.js'
export type { Classifier, OutcomeClass, Verdict, EndpointResult } from './verdict.js'
