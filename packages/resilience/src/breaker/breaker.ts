import { EventEmitter } from 'node:events'
import CircuitBreaker from 'opossum'
import { systemClock } from '@meshlet/core'
import type { Clock, TimerHandle, TypedEmitter } from '@meshlet/core'
import type { BreakerEvents } from './events.js'
import type { BreakerState, CircuitBreakerConfig } from './policy.js'

/** What `execute` returns when the circuit does not let the call through. */
export const BREAKER_REJECTED: unique symbol = Symbol('meshlet.breaker.rejected')

/** A breaker's saved state (see state/). */
export interface BreakerSnapshot {
  readonly state: BreakerState
  /** For an open breaker: time left before it lets trial calls through. */
  readonly resetRemainingMs: number | undefined
}

export interface ErrorRatioBreakerOptions {
  readonly cluster: string
  readonly config: CircuitBreakerConfig
  readonly clock?: Clock | undefined
  readonly events?: TypedEmitter<BreakerEvents> | undefined
  /** Start open or half-open (a restored snapshot); closed by default. */
  readonly initial?: BreakerSnapshot | undefined
}

/** The longest timer Node accepts: opossum's own reset timer is parked there, the Clock drives the real one. */
const NEVER_MS = 2_147_483_647

/** A call's answer that the classifier judged a failure, carried through opossum so it counts. */
class CountedFailure<T> {
  constructor(readonly value: T) {}
}

/** A thrown error that must not count (a caller's abort), carried through opossum's errorFilter. */
class Uncounted {
  constructor(readonly error: unknown) {}
}

type Opossum = CircuitBreaker<[() => Promise<unknown>], unknown>

/**
 * An error-ratio circuit breaker for one destination (`meshlet.io/circuit-breaker`), built on
 * opossum: opossum keeps the rolling window of calls and failures and opens the circuit when
 * failures exceed errorThresholdPercentage of at least volumeThreshold calls. Time is the injected
 * Clock's: the window's buckets rotate on Clock timers (opossum's rotateBucketController), and
 * the open → half-open transition after resetTimeout is a Clock timer too (opossum's own reset
 * timer is parked at the longest delay and the circuit is re-made half-open), so tests drive every
 * transition with a fake clock. Half-open lets up to halfOpenMaxRequests trial calls through; the
 * first to finish closes the circuit on success or re-opens it on failure.
 */
export class ErrorRatioBreaker {
  readonly cluster: string
  readonly #clock: Clock
  readonly #events: TypedEmitter<BreakerEvents> | undefined
  readonly #rotation = new EventEmitter()
  #config: CircuitBreakerConfig
  #circuit: Opossum
  #rotationTimer: TimerHandle | undefined
  #resetTimer: TimerHandle | undefined
  #openedAtMs = 0
  #resetAfterMs = 0
  #trials = 0
  #disposed = false

  constructor(options: ErrorRatioBreakerOptions) {
    this.cluster = options.cluster
    this.#clock = options.clock ?? systemClock
    this.#events = options.events
    this.#config = options.config
    const initial = options.initial
    this.#circuit = this.#create(initial?.state ?? 'closed')
    if (initial?.state === 'open') this.#scheduleReset(initial.resetRemainingMs ?? options.config.resetTimeoutMs)
    this.#armRotation()
  }

  get config(): CircuitBreakerConfig {
    return this.#config
  }

  get state(): BreakerState {
    if (this.#circuit.halfOpen) return 'half-open'
    return this.#circuit.opened ? 'open' : 'closed'
  }

  /**
   * Runs `call` if the circuit lets it through. `isFailure` judges an answer (the classifier);
   * `countsAsFailure` judges a thrown error (an upstream failure does, a caller's abort does not).
   * Returns the answer, rethrows the error, or returns BREAKER_REJECTED without calling.
   */
  async execute<T>(call: () => Promise<T>, isFailure: (value: T) => boolean, countsAsFailure: (error: unknown) => boolean): Promise<T | typeof BREAKER_REJECTED> {
    const circuit = this.#circuit
    if (circuit.halfOpen) return this.#trial(call, isFailure, countsAsFailure)
    if (circuit.opened) return this.#reject()
    try {
      return (await circuit.fire(async () => {
        let value: T
        try {
          value = await call()
        } catch (error) {
          throw countsAsFailure(error) ? error : new Uncounted(error)
        }
        if (isFailure(value)) throw new CountedFailure(value)
        return value
      })) as T
    } catch (error) {
      if (error instanceof CountedFailure) return error.value as T
      if (error instanceof Uncounted) throw error.error
      if (isOpossumRejection(error)) return this.#reject()
      throw error
    }
  }

  /** Applies a reloaded configuration, keeping the current state. */
  configure(config: CircuitBreakerConfig): void {
    if (config === this.#config) return
    const state = this.state
    this.#config = config
    this.#replace(this.#create(state))
    this.#armRotation()
  }

  snapshot(): BreakerSnapshot {
    const state = this.state
    const resetRemainingMs = state === 'open' ? Math.max(0, this.#openedAtMs + this.#resetAfterMs - this.#clock.now()) : undefined
    return { state, resetRemainingMs }
  }

  /** Stops its timers; the breaker must not be used afterwards. */
  dispose(): void {
    this.#disposed = true
    this.#clearTimer('reset')
    this.#clearTimer('rotation')
    this.#circuit.shutdown()
  }

  async #trial<T>(call: () => Promise<T>, isFailure: (value: T) => boolean, countsAsFailure: (error: unknown) => boolean): Promise<T | typeof BREAKER_REJECTED> {
    if (this.#trials >= this.#config.halfOpenMaxRequests) return this.#reject()
    this.#trials++
    const circuit = this.#circuit
    try {
      const value = await call()
      if (circuit === this.#circuit && circuit.halfOpen) {
        if (isFailure(value)) circuit.open()
        else circuit.close()
      }
      return value
    } catch (error) {
      if (circuit === this.#circuit && circuit.halfOpen && countsAsFailure(error)) circuit.open()
      throw error
    } finally {
      this.#trials--
    }
  }

  #reject(): typeof BREAKER_REJECTED {
    if (this.#events !== undefined && this.#events.listenerCount('circuitRejected') > 0) this.#events.emit('circuitRejected', { cluster: this.cluster })
    return BREAKER_REJECTED
  }

  #create(state: BreakerState): Opossum {
    const config = this.#config
    const options: CircuitBreaker.Options & { state?: { closed: boolean; halfOpen: boolean } } = {
      name: this.cluster,
      timeout: false,
      resetTimeout: NEVER_MS,
      errorThresholdPercentage: config.errorThresholdPercentage,
      volumeThreshold: config.volumeThreshold,
      rollingCountTimeout: config.rollingCountTimeoutMs,
      rollingCountBuckets: config.rollingCountBuckets,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      rotateBucketController: this.#rotation,
      // Errors that do not count (a caller's abort) are "filtered", which opossum records as success.
      errorFilter: (error: unknown) => error instanceof Uncounted,
    }
    if (state !== 'closed') options.state = { closed: false, halfOpen: state === 'half-open' }
    const circuit = new CircuitBreaker<[() => Promise<unknown>], unknown>((run) => run(), options)
    circuit.on('open', () => this.#onOpen(circuit))
    circuit.on('close', () => this.#onClose(circuit))
    return circuit
  }

  #onOpen(circuit: Opossum): void {
    if (circuit !== this.#circuit || this.#disposed) return
    const from: BreakerState = this.#trials > 0 ? 'half-open' : 'closed'
    this.#scheduleReset(this.#config.resetTimeoutMs)
    if (this.#events !== undefined && this.#events.listenerCount('circuitOpened') > 0) {
      const stats = circuit.stats
      this.#events.emit('circuitOpened', { cluster: this.cluster, from, calls: stats.fires, failures: stats.failures, resetTimeoutMs: this.#config.resetTimeoutMs })
    }
  }

  #onClose(circuit: Opossum): void {
    if (circuit !== this.#circuit || this.#disposed) return
    this.#clearTimer('reset')
    if (this.#events !== undefined && this.#events.listenerCount('circuitClosed') > 0) this.#events.emit('circuitClosed', { cluster: this.cluster })
  }

  #scheduleReset(delayMs: number): void {
    this.#clearTimer('reset')
    this.#openedAtMs = this.#clock.now()
    this.#resetAfterMs = delayMs
    const timer = this.#clock.setTimeout(() => {
      this.#resetTimer = undefined
      if (this.#disposed || !this.#circuit.opened) return
      this.#replace(this.#create('half-open'))
      if (this.#events !== undefined && this.#events.listenerCount('circuitHalfOpened') > 0) this.#events.emit('circuitHalfOpened', { cluster: this.cluster })
    }, delayMs)
    timer.unref?.()
    this.#resetTimer = timer
  }

  #replace(circuit: Opossum): void {
    const old = this.#circuit
    this.#circuit = circuit
    old.shutdown()
  }

  #armRotation(): void {
    this.#clearTimer('rotation')
    if (this.#disposed) return
    const bucketMs = Math.max(1, Math.floor(this.#config.rollingCountTimeoutMs / this.#config.rollingCountBuckets))
    const tick = (): void => {
      this.#rotation.emit('rotate')
      const timer = this.#clock.setTimeout(tick, bucketMs)
      timer.unref?.()
      this.#rotationTimer = timer
    }
    const timer = this.#clock.setTimeout(tick, bucketMs)
    timer.unref?.()
    this.#rotationTimer = timer
  }

  #clearTimer(which: 'reset' | 'rotation'): void {
    const timer = which === 'reset' ? this.#resetTimer : this.#rotationTimer
    if (timer !== undefined) this.#clock.clearTimeout(timer)
    if (which === 'reset') this.#resetTimer = undefined
    else this.#rotationTimer = undefined
  }
}

function isOpossumRejection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'EOPENBREAKER' || code === 'ESEMLOCKED'
}
