import { EventEmitter } from 'node:events'
import CircuitBreaker from 'opossum'
import { systemClock } from '@meshlet/core'
import type { Clock, TimerHandle, TypedEmitter } from '@meshlet/core'
import type { BreakerEvents } from './events.js'
import type { BreakerState, CircuitBreakerConfig } from './policy.js'

/** A try the circuit let through, to be counted when it ends (see ErrorRatioBreaker.admit). */
export interface BreakerTicket {
  /** The opossum circuit that admitted it (a replaced circuit does not count it). */
  readonly circuit: unknown
  /** Admitted as a half-open trial: its result closes or re-opens the circuit. */
  readonly trial: boolean
}

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

/** How a finished try is replayed into opossum's window: a failure rejects, anything else resolves. */
const FAILED_TRY = new Error('the try failed')
const failedTry = (): Promise<never> => Promise.reject(FAILED_TRY)
const goodTry = (): Promise<void> => Promise.resolve()
const ignore = (): void => undefined

type Opossum = CircuitBreaker<[() => Promise<unknown>], unknown>

/**
 * An error-ratio circuit breaker for one destination (`meshlet.io/circuit-breaker`), built on
 * opossum: opossum keeps the rolling window of tries and failures and opens the circuit when
 * failures exceed errorThresholdPercentage of at least volumeThreshold tries. A try is admitted
 * (`admit`) before it is sent and counted (`record`) once its verdict is in. Time is the injected
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
   * Whether the circuit lets a try through now: a ticket to hand back to `record` when the try
   * ends, or undefined when it is open (or half-open with every trial slot taken); `circuitRejected`
   * is emitted then. Taking the decision and the count apart lets the breaker count a try by its
   * verdict, which only exists once the try has ended.
   */
  admit(): BreakerTicket | undefined {
    const circuit = this.#circuit
    if (circuit.halfOpen) {
      if (this.#trials >= this.#config.halfOpenMaxRequests) return this.#reject()
      this.#trials++
      return { circuit, trial: true }
    }
    if (circuit.opened) return this.#reject()
    return { circuit, trial: false }
  }

  /**
   * Counts a try the circuit let through. A trial decides the half-open circuit (closed on success,
   * open again on failure); any other try goes into opossum's rolling window, which opens the
   * circuit when failures pass the threshold.
   */
  record(ticket: BreakerTicket, failed: boolean): void {
    const circuit = ticket.circuit as Opossum
    if (ticket.trial) {
      // Decided while the trial still counts, so the events say the circuit opened from half-open.
      if (circuit === this.#circuit && circuit.halfOpen) {
        if (failed) circuit.open()
        else circuit.close()
      }
      this.#trials--
      return
    }
    // A circuit replaced meanwhile (reloaded, half-opened) no longer counts.
    if (circuit !== this.#circuit) return
    circuit.fire(failed ? failedTry : goodTry).catch(ignore)
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

  #reject(): undefined {
    if (this.#events !== undefined && this.#events.listenerCount('circuitRejected') > 0) this.#events.emit('circuitRejected', { cluster: this.cluster })
    return undefined
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
