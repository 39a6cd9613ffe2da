import type { Clock, TimerHandle } from '@meshlet/core'

interface Timer {
  readonly atMs: number
  readonly sequence: number
  readonly callback: () => void
  cancelled: boolean
}

/**
 * A clock that only moves when told to: timers run in time order (then in the order they were
 * set) as `advance` or `runNext` passes them. The simulator drives every request through it, and
 * tests use it as their fake clock.
 */
export class VirtualClock implements Clock {
  private nowMs: number
  private sequence = 0
  /** Binary min-heap by (atMs, sequence). */
  private readonly heap: Timer[] = []

  constructor(startMs = 0) {
    this.nowMs = startMs
  }

  now(): number {
    return this.nowMs
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer: Timer = { atMs: this.nowMs + Math.max(0, delayMs), sequence: this.sequence++, callback, cancelled: false }
    this.push(timer)
    return timer as unknown as TimerHandle
  }

  clearTimeout(handle: TimerHandle): void {
    ;(handle as unknown as Timer).cancelled = true
  }

  /** Number of timers still waiting (cancelled ones included until they come due). */
  get pending(): number {
    return this.heap.length
  }

  /** Moves time forward by `ms`, running every timer that comes due on the way. */
  advance(ms: number): void {
    const targetMs = this.nowMs + ms
    while (this.heap.length > 0 && this.heap[0]!.atMs <= targetMs) this.runNext()
    this.nowMs = targetMs
  }

  /** Jumps to the next timer and runs it; false when none is left. */
  runNext(): boolean {
    const timer = this.pop()
    if (timer === undefined) return false
    if (timer.atMs > this.nowMs) this.nowMs = timer.atMs
    if (!timer.cancelled) timer.callback()
    return true
  }

  private push(timer: Timer): void {
    const heap = this.heap
    heap.push(timer)
    let position = heap.length - 1
    while (position > 0) {
      const parent = (position - 1) >>> 1
      if (!earlier(timer, heap[parent]!)) break
      heap[position] = heap[parent]!
      position = parent
    }
    heap[position] = timer
  }

  private pop(): Timer | undefined {
    const heap = this.heap
    const first = heap[0]
    const last = heap.pop()
    if (first === undefined || last === undefined || heap.length === 0) return first
    let position = 0
    for (;;) {
      const left = 2 * position + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) ? right : left
      if (!earlier(heap[child]!, last)) break
      heap[position] = heap[child]!
      position = child
    }
    heap[position] = last
    return first
  }
}

function earlier(a: Timer, b: Timer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.sequence < b.sequence)
}
