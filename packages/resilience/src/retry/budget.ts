/**
 * Why budgets and not only a retry count: a fixed `attempts: 2` triples the traffic a failing
 * dependency receives exactly when it can least take it. A budget caps the retries in flight to a
 * share of the requests in flight, so retries help in the small and are refused in the large
 * (Finagle's RetryBudget, tower's retry::budget, Envoy's circuit-breaker retry budget).
 */

/** DestinationRule `trafficPolicy.retryBudget`, as compiled (same field names as CompiledRetryBudget). */
export interface RetryBudgetConfig {
  /** Share of active requests that may be retries, 0..100. */
  readonly percent: number
  /** Retries always allowed in flight, however few requests there are. */
  readonly minRetryConcurrency: number
  /** When set, requests started within this window count instead of those in flight. */
  readonly budgetIntervalMs: number | undefined
}

/**
 * How many retries may be in flight for a cluster: max(minRetryConcurrency, percent% of the requests
 * counted), truncated to a whole number as Envoy's RetryBudgetImpl::max does. A retry may start
 * while the retries in flight are below this.
 */
export function retryBudgetLimit(budget: RetryBudgetConfig, requestsForBudget: number): number {
  return Math.max(Math.floor((budget.percent / 100) * requestsForBudget), budget.minRetryConcurrency)
}
