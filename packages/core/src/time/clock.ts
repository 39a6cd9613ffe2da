/**
 * Time is injected everywhere meshlet measures or waits, so tests drive it with a fake clock and
 * never sleep. `now()` is milliseconds on a monotonic scale (not wall time).
 */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, delayMs: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export interface TimerHandle {
  /** Let the process exit while this timer is pending (Node's `unref`): only for housekeeping no call waits on. */
  unref?(): void
  /** Hold the process open again while this timer is pending (Node's `ref`). */
  ref?(): void
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
