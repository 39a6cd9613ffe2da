import type { TrafficPolicy } from '../../spec/destination-rule.js'
import type { CompiledRetryBudget } from '../snapshot.js'
import { durationMs } from '../duration.js'

/** Envoy retry budget defaults (DR proto `retryBudget`; reference §13): 20 % of active requests, at least 3. */
export const DEFAULT_RETRY_BUDGET = { percent: 20, minRetryConcurrency: 3 } as const

export function compileRetryBudget(spec: TrafficPolicy['retryBudget']): CompiledRetryBudget | undefined {
  if (!spec) return undefined
  const percent = spec.percent?.value
  return {
    percent: typeof percent === 'number' && percent > 0 ? percent : DEFAULT_RETRY_BUDGET.percent,
    minRetryConcurrency: spec.minRetryConcurrency && spec.minRetryConcurrency > 0 ? spec.minRetryConcurrency : DEFAULT_RETRY_BUDGET.minRetryConcurrency,
    budgetIntervalMs: durationMs(spec.budgetInterval),
  }
}
