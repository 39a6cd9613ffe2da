import type { LoadMetric, LoadTracker } from './load-metric.js'

const byActive: LoadTracker = {
  cost: (_nowMs, active) => active,
  observe: () => {},
}

/** Calls in flight, Envoy's LEAST_REQUEST measure (tower `PendingRequests`). */
export function pendingRequestsLoad(): LoadMetric {
  return { name: 'pending-requests', readsClock: false, track: () => byActive }
}
