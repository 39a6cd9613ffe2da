import type { Clock, TimerHandle } from '@meshlet/core'

interface FakeTimer extends TimerHandle {
  readonly atMs: number
  readonly sequence: number
  readonly callback: () => void
  cancelled: boolean
}

/**
 * A Clock whose time only moves when a test says so. `advance(ms)` runs every timer that falls due,
 * in time order, and lets promise callbacks settle after each, so async code driven by timers (a
 * backoff followed by a retry) runs exactly as it would in real time, without sleeping.
 */
export class FakeClock implements Clock {
  #now: number
  #sequence = 0
  readonly #timers: FakeTimer[] = []

  constructor(startMs = 1000) {
    this.#now = startMs
  }

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer: FakeTimer = { atMs: this.#now + Math.max(0, delayMs), sequence: this.#sequence++, callback, cancelled: false, unref() {} }
    this.#timers.push(timer)
    return timer
  }

  clearTimeout(handle: TimerHandle): void {
    ;(handle as FakeTimer).cancelled = true
  }

  /** Timers still waiting. */
  get pendingTimers(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length
  }

  /** Moves time forward by `ms`, firing due timers in order and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms
    await settle()
    for (;;) {
      const next = this.#nextDue(target)
      if (next === undefined) break
      this.#now = Math.max(this.#now, next.atMs)
      next.cancelled = true
      next.callback()
      await settle()
    }
    this.#now = target
    await settle()
  }

  #nextDue(target: number): FakeTimer | undefined {
    let best: FakeTimer | undefined
    for (const timer of this.#timers) {
      if (timer.cancelled || timer.atMs > target) continue
      if (best === undefined || timer.atMs < best.atMs || (timer.atMs === best.atMs && timer.sequence < best.sequence)) best = timer
    }
    if (best !== undefined) this.#timers.splice(this.#timers.indexOf(best), 1)
    return best
  }
}

/** Lets every queued promise callback run (a macrotask turn drains the microtask queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
