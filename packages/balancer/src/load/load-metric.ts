/**
 * How busy an endpoint looks, as a number where lower is better (tower's `Load`, Finagle's
 * `Node.load`). A picker compares costs and never knows how they are measured; the balancer feeds
 * every tracker the start and end of each call.
 */
export interface LoadTracker {
  /** The current cost; `active` is the number of calls in flight to this endpoint. */
  cost(nowMs: number, active: number): number
  /** A call finished after `latencyMs`; `failed` when the classifier called it a failure. */
  observe(nowMs: number, latencyMs: number, failed: boolean): void
}

export interface LoadMetric {
  readonly name: string
  /** Whether `cost` reads the time; when false pickers pass 0 and skip reading the clock. */
  readonly readsClock: boolean
  /** A tracker for one endpoint that joins at `nowMs`. */
  track(nowMs: number): LoadTracker
}
