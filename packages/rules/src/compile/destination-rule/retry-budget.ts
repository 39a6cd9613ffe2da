import type { TrafficPolicy } from '../../spec/destination-rule.js'
import type { CompiledRetryBudget } from '../snapshot.js'
import { durationMs } from '../duration.js'

/** Envoy retry budget defaults (DR proto `retryBudget`; reference §13): 20 % of active requests, at least 3. */
export const DEFAULT_RETRY_BUDGET = { percent: 20, minRetryConcurrency: 3 } as const

export function compileRetryBudget(spec: TrafficPolicy['retryBudget']): CompiledRetryBudget | undefined {
  if (!spec) return undefined
  return {
    // A DoubleValue: unlike Istio's plain ints, an explicit 0 is distinguishable from unset and kept.
    percent: spec.percent ?? DEFAULT_RETRY_BUDGET.percent,
    minRetryConcurrency: spec.minRetryConcurrency && spec.minRetryConcurrency > 0 ? spec.minRetryConcurrency : DEFAULT_RETRY_BUDGET.minRetryConcurrency,
    budgetIntervalMs: durationMs(spec.budgetInterval),
  }
}
