import type { Clock, TimerHandle } from '@meshlet/core'

interface PendingTimer {
  readonly id: number
  readonly dueMs: number
  readonly callback: () => void
}

/**
 * A clock that moves only when a test moves it, so timeouts, delays and backoff are tested
 * without sleeping. Timers due at the same time run in the order they were set.
 *
 * `advance(ms)` runs due timers synchronously; `tick(ms)` also lets promise callbacks and I/O
 * callbacks run between timers, which is what a test of async layers usually wants.
 */
export class FakeClock implements Clock {
  private nowMs: number
  private nextId = 1
  private timers: PendingTimer[] = []
  private waiters: Array<{ count: number; resolve: () => void }> = []

  constructor(startMs = 0) {
    this.nowMs = startMs
  }

  now(): number {
    return this.nowMs
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), callback }
    this.timers.push(timer)
    this.timers.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)
    this.notifyWaiters()
    return { id: timer.id, unref() {} } as TimerHandle
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { id?: number }).id
    this.timers = this.timers.filter((timer) => timer.id !== id)
  }

  /** Timers set and not yet run or cleared. */
  get pendingTimers(): number {
    return this.timers.length
  }

  /** Moves time forward by `ms`, running every timer that falls due, synchronously. */
  advance(ms: number): void {
    const target = this.nowMs + ms
    for (;;) {
      const next = this.timers[0]
      if (next === undefined || next.dueMs > target) break
      this.timers.shift()
      this.nowMs = next.dueMs
      next.callback()
    }
    this.nowMs = target
  }

  /**
   * Moves time forward by `ms` like advance(), but lets pending promise and I/O callbacks run
   * before and after each timer, so work that a timer starts can schedule the next one.
   */
  async tick(ms: number): Promise<void> {
    const target = this.nowMs + ms
    await settle()
    for (;;) {
      const next = this.timers[0]
      if (next === undefined || next.dueMs > target) break
      this.timers.shift()
      this.nowMs = next.dueMs
      next.callback()
      await settle()
    }
    this.nowMs = target
    await settle()
  }

  /** Resolves once at least `count` timers are pending (for example, when a delay has started). */
  whenTimers(count = 1): Promise<void> {
    if (this.timers.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ count, resolve }))
  }

  private notifyWaiters(): void {
    if (this.waiters.length === 0) return
    const ready = this.waiters.filter((waiter) => this.timers.length >= waiter.count)
    this.waiters = this.waiters.filter((waiter) => this.timers.length < waiter.count)
    for (const waiter of ready) waiter.resolve()
  }
}

/** Lets queued promise callbacks and one round of I/O callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
