export { isLocalOriginFailure } from './outcome.js'
export type { CallOutcome, ResponseOutcome, FailureOutcome, FailureReason } from './outcome.js'
export { defaultClassifier } from './classifier.js'
export type { Classifier, OutcomeClass } from './classifier.js'
