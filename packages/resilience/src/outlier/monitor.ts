/** Successes and totals over one interval, for success-rate and failure-percentage ejection. */
export interface RateBucket {
  success: number
  total: number
}

/**
 * What outlier detection knows about one endpoint (Envoy's DetectorHostMonitorImpl): consecutive
 * error counters, ejection state and the ejection-time multiplier, and request counts for the
 * current and the last complete interval.
 */
export class EndpointMonitor {
  readonly id: string
  consecutive5xx = 0
  consecutiveGateway = 0
  consecutiveLocalOrigin = 0
  ejected = false
  /** Times ejected in a row, less one per healthy interval: the ejection time multiplier. */
  backoff = 0
  ejections = 0
  lastEjectionMs: number | undefined
  lastUnejectionMs: number | undefined
  /** External (or, without split mode, all) results: the interval being written and the last complete one. */
  current: RateBucket = { success: 0, total: 0 }
  previous: RateBucket = { success: 0, total: 0 }

  constructor(id: string) {
    this.id = id
  }

  /** Starts a new interval: the one just written becomes the one judged. */
  rotate(): void {
    const done = this.current
    this.current = this.previous
    this.current.success = 0
    this.current.total = 0
    this.previous = done
  }

  resetConsecutive(): void {
    this.consecutive5xx = 0
    this.consecutiveGateway = 0
    this.consecutiveLocalOrigin = 0
  }
}
