import { Cancellation } from '@meshlet/core'
import type { CancelReason } from '@meshlet/core'
import type { DeadlineScheduler, ScheduledDeadline } from './scheduler.js'

/**
 * The one deadline mechanism of the route timeout and the per-try timeout: a cancellation token
 * that follows its parent (the caller's abort, the route timeout) and also fires, with `reason`,
 * when the scheduler reaches `atMs`. Whatever waits below (a retry backoff, the pool queue, the
 * transport) listens to the token and ends at once with a failure naming that reason; nothing races
 * promises. `disarm` stops the deadline when the answer came in time; `release` lets go of the
 * parent once the call or try is over, so a finished call leaves no listener behind.
 */
export class DeadlineGuard {
  readonly cancellation: Cancellation
  readonly #reason: CancelReason
  readonly #onExpire: (() => void) | undefined
  #entry: ScheduledDeadline | undefined

  constructor(scheduler: DeadlineScheduler, atMs: number, parent: Cancellation | undefined, reason: CancelReason, onExpire?: () => void) {
    this.cancellation = new Cancellation(parent)
    this.#reason = reason
    this.#onExpire = onExpire
    this.#entry = this.cancellation.cancelled ? undefined : scheduler.schedule(atMs, () => this.#expire())
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

  #expire(): void {
    this.#entry = undefined
    if (this.cancellation.cancel(this.#reason)) this.#onExpire?.()
  }
}
