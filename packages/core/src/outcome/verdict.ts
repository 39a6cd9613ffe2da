import type { CallOutcome } from './outcome.js'

/**
 * Finagle's ResponseClass, reduced to what Envoy distinguishes: a success, a failure the route's
 * retry policy allows to retry, or a failure that must not be retried.
 */
export type OutcomeClass = 'success' | 'retryable-failure' | 'failure'

/**
 * What one try says about the endpoint it went to, in the terms of Envoy's outlier detection
 * (envoy source/common/upstream/outlier_detection_impl.cc putHttpResponseCode / putResult): the
 * HTTP status it answered (a gRPC answer counts by the status its grpc-status maps to), a locally
 * originated failure (connect failure, reset, timeout), or nothing: meshlet answered without the
 * endpoint, or the caller gave up.
 */
export type EndpointResult =
  | { readonly kind: 'http'; readonly code: number }
  | { readonly kind: 'local-failure'; readonly timeout: boolean }
  | { readonly kind: 'ignore' }

/**
 * The one judgement of a try, made once next to the transport by the route's classifier (its
 * retryOn, Istio's gRPC status rules and the cluster's outlier detection mode compiled together).
 * Retry, outlier detection, the breaker, the balancer's load metric and telemetry all read it; none
 * judges the outcome again.
 */
export interface Verdict {
  /** Retried or not, failed or not: the retry layer, the breaker, the balancer and telemetry read this. */
  readonly result: OutcomeClass
  /** What the endpoint is charged with: outlier detection reads this; `ignore` counts for nothing anywhere. */
  readonly endpoint: EndpointResult
}

/** Turns a try's outcome into its verdict. Compiled once per route and cluster; allocation-free per call. */
export type Classifier = (outcome: CallOutcome) => Verdict
