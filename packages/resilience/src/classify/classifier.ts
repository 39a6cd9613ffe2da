import type { CallOutcome, Classifier, EndpointResult, OutcomeClass, Verdict } from '@meshlet/core'
import type { RetryPolicyConfig } from '../retry/policy.js'
import { IGNORE, LOCAL_FAILURE, LOCAL_TIMEOUT, endpointResultOf } from './endpoint-result.js'
import { effectiveStatus } from './grpc-status.js'
import { retryConditionsFor, retryDecision } from './retry-on.js'
import type { RetryConditions } from './retry-on.js'

/** What the classifier reads from a cluster's outlier detection: which HTTP codes count as errors. */
export interface ClassifierOutlierMode {
  /** `outlierDetectionHttpErrorCodes`; undefined = 5xx (Envoy's default). */
  readonly httpErrorCodes: readonly number[] | undefined
}

/**
 * The route's classifier (Finagle's ResponseClassifier, one per route and cluster): its retryOn
 * decides success, retryable failure or failure (Envoy's retry_state_impl rules, gRPC statuses
 * mapped as Envoy maps them), and the cluster's outlier detection mode decides what the endpoint
 * is charged with. Both in one call, once per try; the verdicts are shared constants, so a call
 * allocates nothing here.
 */
export function createClassifier(conditions: RetryConditions, outlier: ClassifierOutlierMode | undefined): Classifier {
  const httpErrorCodes = outlier?.httpErrorCodes
  return (outcome: CallOutcome): Verdict => {
    const result = retryDecision(conditions, outcome)
    const code = outcome.kind === 'response' ? effectiveStatus(outcome) : 0
    const endpoint = endpointResultOf(outcome, code, httpErrorCodes)
    return verdictFor(result, endpoint)
  }
}

/** Without a route (a shadow, a call that never reached the router): Istio's default retryOn has no say; 5xx and failures are failures. */
const NO_RETRY: RetryConditions = Object.freeze({ flags: 0, statusCodes: Object.freeze([]), headerNames: Object.freeze([]), unknownTokens: Object.freeze([]) })

const classifiers = new WeakMap<object, WeakMap<object, Classifier>>()
const NO_OUTLIER = {}

/**
 * The classifier for a route's retry policy and a cluster's outlier mode, made once per pair of
 * (compiled, frozen) policy objects. `retry` undefined: no retries (a shadow); `outlier` undefined:
 * Envoy's default error codes.
 */
export function classifierFor(retry: RetryPolicyConfig | undefined, outlier: ClassifierOutlierMode | undefined): Classifier {
  const retryKey: object = retry ?? NO_RETRY
  let byOutlier = classifiers.get(retryKey)
  if (byOutlier === undefined) {
    byOutlier = new WeakMap()
    classifiers.set(retryKey, byOutlier)
  }
  const outlierKey: object = outlier ?? NO_OUTLIER
  let classifier = byOutlier.get(outlierKey)
  if (classifier === undefined) {
    classifier = createClassifier(retry === undefined ? NO_RETRY : retryConditionsFor(retry), outlier)
    byOutlier.set(outlierKey, classifier)
  }
  return classifier
}

interface VerdictRow {
  readonly ignore: Verdict
  readonly localFailure: Verdict
  readonly localTimeout: Verdict
  readonly byCode: Map<number, Verdict>
}

const ROWS: Record<OutcomeClass, VerdictRow> = {
  success: row('success'),
  'retryable-failure': row('retryable-failure'),
  failure: row('failure'),
}

function row(result: OutcomeClass): VerdictRow {
  return {
    ignore: Object.freeze({ result, endpoint: IGNORE }),
    localFailure: Object.freeze({ result, endpoint: LOCAL_FAILURE }),
    localTimeout: Object.freeze({ result, endpoint: LOCAL_TIMEOUT }),
    byCode: new Map(),
  }
}

/** The shared verdict for a result and what the endpoint is charged with (an HTTP code, or a constant result). */
function verdictFor(result: OutcomeClass, endpoint: EndpointResult | number): Verdict {
  const verdicts = ROWS[result]
  if (typeof endpoint === 'number') {
    let verdict = verdicts.byCode.get(endpoint)
    if (verdict === undefined) {
      verdict = Object.freeze({ result, endpoint: Object.freeze({ kind: 'http', code: endpoint }) })
      verdicts.byCode.set(endpoint, verdict)
    }
    return verdict
  }
  if (endpoint === IGNORE) return verdicts.ignore
  return endpoint === LOCAL_TIMEOUT ? verdicts.localTimeout : verdicts.localFailure
}
