import { cockatiel } from '../internal/lazy-modules.js'
import type { ConsecutiveBreaker, ExponentialBackoff } from 'cockatiel'
import type { IBackoff } from 'cockatiel'
import type { Clock, Random } from '@meshlet/core'
import type { ReconnectSettings } from './settings.js'

/** What to do after a failed connection. */
export interface RetryPlan {
  readonly delayMs: number
  /** True when this failure opened (or re-opened) the breaker: the source is flapping or down. */
  readonly breakerOpen: boolean
}

/**
 * The reconnect policy of one watch stream, off the request path: exponential backoff with jitter
 * and a consecutive-failure breaker, both cockatiel's (ExponentialBackoff, ConsecutiveBreaker).
 * cockatiel's retry and circuit-breaker *policies* wait with setTimeout and read Date.now(), which
 * an injected Clock cannot drive; its backoff and breaker are pure state machines, so they are
 * used as they are and the waiting happens here, on the mesh's clock.
 *
 * Closed: each failure waits the next backoff step. `breakerThreshold` consecutive failures open
 * the breaker: one wait of `breakerOpenMs` (jittered), then a single trial (half-open). A trial
 * that fails opens it again at once; a connection that holds (`succeeded`) closes it and resets
 * the backoff.
 */
export class Reconnector {
  private readonly breaker: ConsecutiveBreaker
  private readonly backoffStart: ExponentialBackoff<unknown>
  private backoff: IBackoff<unknown> | undefined
  private halfOpen = false

  constructor(
    private readonly settings: ReconnectSettings,
    private readonly random: Random,
  ) {
    this.breaker = new (cockatiel().ConsecutiveBreaker)(settings.breakerThreshold)
    this.backoffStart = new (cockatiel().ExponentialBackoff)({
      initialDelay: settings.initialDelayMs,
      maxDelay: settings.maxDelayMs,
      // Equal jitter: half the step fixed, half random, so a fleet of processes that lost the same
      // API server spreads its reconnects without any of them retrying at once.
      generator: (attempt: number | undefined, options: { initialDelay: number; maxDelay: number; exponent: number }) => {
        const n = attempt ?? 0
        const step = Math.min(options.maxDelay, options.initialDelay * options.exponent ** n)
        return [step / 2 + (this.random() * step) / 2, n + 1]
      },
    })
  }

  /** A connection failed, or dropped before it was stable. */
  failed(): RetryPlan {
    const opens = this.breaker.failure() || this.halfOpen
    if (opens) {
      this.halfOpen = true
      this.backoff = undefined
      return { delayMs: this.settings.breakerOpenMs * (0.5 + this.random() * 0.5), breakerOpen: true }
    }
    this.backoff = (this.backoff ?? this.backoffStart).next(undefined)
    return { delayMs: this.backoff.duration, breakerOpen: false }
  }

  /** A connection held for `stableAfterMs`, or ended cleanly: the breaker closes and the backoff starts over. */
  succeeded(): void {
    this.breaker.success()
    this.halfOpen = false
    this.backoff = undefined
  }

  get breakerOpen(): boolean {
    return this.halfOpen
  }
}

/** Waits `delayMs` on `clock`; resolves early (false) when `signal` aborts. */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = () => {
      clock.clearTimeout(timer)
      resolve(false)
    }
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, delayMs)
    timer.unref?.()
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
