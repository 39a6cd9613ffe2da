import { Cancellation } from '@meshlet/core'
import type { CancelReason } from '@meshlet/core'
import type { DeadlineScheduler, Expirable, ScheduledDeadline } from './scheduler.js'

/** Told when a guard's deadline fired (not when its parent cancelled it): one function per layer, not per call. */
export type GuardExpired = (guard: DeadlineGuard) => void

/**
 * The one deadline mechanism of the route timeout and the per-try timeout: a cancellation token
 * that follows its parent (the caller's abort, the route timeout) and also fires, with `reason`,
 * when the scheduler reaches `atMs`. Whatever waits below (a retry backoff, the pool queue, the
 * transport) listens to the token and ends at once with a failure naming that reason; nothing races
 * promises. `disarm` stops the deadline when the answer came in time; `release` lets go of the
 * parent once the call or try is over, so a finished call leaves no listener behind.
 */
export class DeadlineGuard implements Expirable {
  readonly cancellation: Cancellation
  /** The timeout this guard enforces, in ms from when it was made (for the `timeout` event). */
  readonly timeoutMs: number
  /** Set by the layer once the response headers are in: a later expiry cut the body short. */
  answered = false
  readonly #reason: CancelReason
  readonly #onExpired: GuardExpired | undefined
  #entry: ScheduledDeadline | undefined

  constructor(scheduler: DeadlineScheduler, atMs: number, timeoutMs: number, parent: Cancellation | undefined, reason: CancelReason, onExpired?: GuardExpired) {
    this.cancellation = new Cancellation(parent)
    this.timeoutMs = timeoutMs
    this.#reason = reason
    this.#onExpired = onExpired
    this.#entry = this.cancellation.cancelled ? undefined : scheduler.schedule(atMs, this)
  }

  /** The deadline no longer applies; the token still follows its parent. */
  disarm(): void {
    this.#entry?.cancel()
    this.#entry = undefined
  }

  /** The call or try is over: no deadline, no link to the parent. Safe to call more than once. */
  readonly release = (): void => {
    this.disarm()
    this.cancellation.release()
  }

  /** Scheduler: the deadline passed. */
  expired(): void {
    this.#entry = undefined
    if (this.cancellation.cancel(this.#reason)) this.#onExpired?.(this)
  }
}
