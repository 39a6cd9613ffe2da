import type { Clock, TimerHandle } from '@meshlet/core'

/**
 * How often a live source may republish the endpoints of one host (or the workloads of one
 * namespace). A change is published at once when the last publication of that key is older than
 * `minIntervalMs`; otherwise the latest state is published once the interval is over, so a burst of
 * changes costs one rebuild of the host's endpoint list and balancer. istiod debounces its endpoint
 * pushes in the same spirit (PILOT_DEBOUNCE_AFTER, 100 ms); meshlet waits half that, so a change in a
 * burst stays within its 50 ms convergence budget.
 */
export const DEFAULT_PUBLISH = Object.freeze({ minIntervalMs: 50 })

export class PublishThrottle {
  private readonly lastAtMs = new Map<string, number>()
  private readonly scheduled = new Map<string, { timer: TimerHandle; publish: () => void }>()

  constructor(
    private readonly clock: Clock,
    private readonly minIntervalMs: number,
  ) {}

  /** Publishes now, or once at the end of the interval (the last `publish` given wins). */
  request(key: string, publish: () => void): void {
    if (this.minIntervalMs <= 0) return publish()
    const pending = this.scheduled.get(key)
    if (pending !== undefined) {
      pending.publish = publish
      return
    }
    const sinceMs = this.clock.now() - (this.lastAtMs.get(key) ?? Number.NEGATIVE_INFINITY)
    if (sinceMs >= this.minIntervalMs) {
      this.lastAtMs.set(key, this.clock.now())
      return publish()
    }
    const entry = {
      publish,
      timer: this.clock.setTimeout(() => {
        this.scheduled.delete(key)
        this.lastAtMs.set(key, this.clock.now())
        entry.publish()
      }, this.minIntervalMs - sinceMs),
    }
    entry.timer.unref?.()
    this.scheduled.set(key, entry)
  }
}
