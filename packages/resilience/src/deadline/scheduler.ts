import { systemClock } from '@meshlet/core'
import type { Clock, TimerHandle } from '@meshlet/core'
import type { Cancellation } from '@meshlet/core'

/** A deadline waiting in the scheduler. */
export interface ScheduledDeadline {
  readonly atMs: number
  /** Removes it; returns false when it already fired or was cancelled (so the caller knows who won). */
  cancel(): boolean
}

type ExpiryCallback = () => void

/** What may wait on a deadline instead of a callback: an object told by a method, so no closure is made per deadline. */
export interface Expirable {
  expired(): void
}

/** The longest delay Node's setTimeout honours (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_DELAY_MS = 2_147_483_647

class Entry implements ScheduledDeadline {
  /** Position in the heap, -1 once it fired or was cancelled. */
  index = -1
  constructor(
    readonly atMs: number,
    readonly sequence: number,
    readonly onExpire: ExpiryCallback | Expirable,
    private readonly scheduler: DeadlineScheduler,
  ) {}

  cancel(): boolean {
    return this.scheduler.remove(this)
  }
}

/**
 * One timer for every deadline in the process. Deadlines sit in a binary min-heap ordered by time
 * (then by arrival, so equal deadlines fire in order) and a single Clock timer is armed for the
 * earliest. A call costs a heap insert and a heap removal instead of a setTimeout, a clearTimeout
 * and an AbortSignal listener (the timer is re-armed only when a new deadline is earlier than the
 * armed one; cancelling the earliest leaves the timer armed, and it re-arms itself when it fires).
 * Time comes from the injected Clock, so tests drive it with a fake clock.
 *
 * Every deadline here is one a pending call waits on (a route or per-try timeout, a retry backoff),
 * so the timer holds the process open while any is waiting: a script whose only work is a call in a
 * backoff must not exit mid-call. Once the heap is empty the armed timer is unref'd, so a far
 * deadline of a call that already finished never keeps the process alive.
 */
export class DeadlineScheduler {
  readonly clock: Clock
  readonly #heap: Entry[] = []
  #timer: TimerHandle | undefined
  /** Whether the armed timer holds the process open (it does while a deadline waits). */
  #timerHeld = false
  #armedAtMs = Number.POSITIVE_INFINITY
  #sequence = 0

  constructor(clock: Clock = systemClock) {
    this.clock = clock
  }

  /** Deadlines waiting. */
  get size(): number {
    return this.#heap.length
  }

  /** Calls `onExpire` once the clock reaches `atMs` (on the next timer turn when `atMs` is already past). */
  schedule(atMs: number, onExpire: ExpiryCallback | Expirable): ScheduledDeadline {
    const entry = new Entry(atMs, this.#sequence++, onExpire, this)
    this.#push(entry)
    if (atMs < this.#armedAtMs) this.#arm(atMs)
    else if (!this.#timerHeld) this.#hold(true)
    return entry
  }

  /**
   * Resolves after `delayMs` (the retry backoff), or early when `cancellation` fires; the caller
   * checks `cancellation.cancelled` to know which.
   */
  sleep(delayMs: number, cancellation?: Cancellation): Promise<void> {
    return new Promise((resolve) => {
      let unsubscribe: (() => void) | undefined
      const entry = this.schedule(this.clock.now() + delayMs, () => {
        unsubscribe?.()
        resolve()
      })
      if (cancellation !== undefined) {
        unsubscribe = cancellation.onCancel(() => {
          entry.cancel()
          resolve()
        })
      }
    })
  }

  /** Drops every deadline without firing it and stops the timer. */
  close(): void {
    for (const entry of this.#heap) entry.index = -1
    this.#heap.length = 0
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#timerHeld = false
    this.#armedAtMs = Number.POSITIVE_INFINITY
  }

  /** @internal used by ScheduledDeadline.cancel */
  remove(entry: Entry): boolean {
    const index = entry.index
    if (index === -1) return false
    const heap = this.#heap
    const last = heap.pop()!
    entry.index = -1
    if (index < heap.length) {
      heap[index] = last
      last.index = index
      if (!this.#siftUp(index)) this.#siftDown(index)
    } else if (heap.length === 0 && this.#timerHeld) {
      this.#hold(false)
    }
    return true
  }

  #arm(atMs: number): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer)
    this.#armedAtMs = atMs
    // Node fires a longer timer after 1 ms; a far deadline is reached in steps of the longest delay.
    this.#timer = this.clock.setTimeout(() => this.#fire(), Math.min(MAX_TIMER_DELAY_MS, Math.max(0, atMs - this.clock.now())))
    this.#timerHeld = true
  }

  /** Makes the armed timer hold the process open (a deadline waits) or not (none does). */
  #hold(held: boolean): void {
    const timer = this.#timer
    if (timer === undefined) return
    if (held) timer.ref?.()
    else timer.unref?.()
    this.#timerHeld = held
  }

  #fire(): void {
    this.#timer = undefined
    this.#timerHeld = false
    this.#armedAtMs = Number.POSITIVE_INFINITY
    const now = this.clock.now()
    const heap = this.#heap
    while (heap.length > 0 && heap[0]!.atMs <= now) {
      const entry = heap[0]!
      this.remove(entry)
      try {
        const onExpire = entry.onExpire
        if (typeof onExpire === 'function') onExpire()
        else onExpire.expired()
      } catch (error) {
        // A failing callback is a bug in a layer; surface it without stopping the other deadlines.
        queueMicrotask(() => {
          throw error
        })
      }
    }
    if (heap.length > 0) this.#arm(heap[0]!.atMs)
  }

  #push(entry: Entry): void {
    entry.index = this.#heap.length
    this.#heap.push(entry)
    this.#siftUp(entry.index)
  }

  /** Moves the entry at `index` up while it is earlier than its parent; returns whether it moved. */
  #siftUp(index: number): boolean {
    const heap = this.#heap
    const entry = heap[index]!
    let position = index
    while (position > 0) {
      const parentIndex = (position - 1) >> 1
      const parent = heap[parentIndex]!
      if (!earlier(entry, parent)) break
      heap[position] = parent
      parent.index = position
      position = parentIndex
    }
    heap[position] = entry
    entry.index = position
    return position !== index
  }

  #siftDown(index: number): void {
    const heap = this.#heap
    const entry = heap[index]!
    const length = heap.length
    let position = index
    for (;;) {
      const left = 2 * position + 1
      if (left >= length) break
      const right = left + 1
      const child = right < length && earlier(heap[right]!, heap[left]!) ? right : left
      if (!earlier(heap[child]!, entry)) break
      heap[position] = heap[child]!
      heap[position]!.index = position
      position = child
    }
    heap[position] = entry
    entry.index = position
  }
}

function earlier(a: Entry, b: Entry): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence)
}

const schedulers = new WeakMap<Clock, DeadlineScheduler>()

/**
 * The scheduler for a clock: one per Clock object, so all layers of a process that use the system
 * clock share a single timer, and a test's fake clock gets its own.
 */
export function schedulerFor(clock: Clock = systemClock): DeadlineScheduler {
  let scheduler = schedulers.get(clock)
  if (scheduler === undefined) {
    scheduler = new DeadlineScheduler(clock)
    schedulers.set(clock, scheduler)
  }
  return scheduler
}
