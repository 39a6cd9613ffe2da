import { systemClock } from '@meshlet/core'
import type { Clock, TypedEmitter } from '@meshlet/core'
import { ErrorRatioBreaker } from './breaker.js'
import type { BreakerSnapshot } from './breaker.js'
import type { BreakerEvents } from './events.js'
import type { CircuitBreakerConfig } from './policy.js'

/** A destination cluster and its `meshlet.io/circuit-breaker` settings. */
export interface BreakerPolicy {
  readonly key: string
  readonly circuitBreaker: CircuitBreakerConfig | undefined
}

/**
 * The breakers of one mesh, one per destination cluster whose DestinationRule has the annotation:
 * made on the first call, reconfigured on reload (state kept), disposed when the annotation goes.
 */
export class BreakerRegistry {
  readonly #clock: Clock
  readonly #events: TypedEmitter<BreakerEvents> | undefined
  readonly #breakers = new Map<string, ErrorRatioBreaker>()
  readonly #restored = new Map<string, { readonly snapshot: BreakerSnapshot; readonly atMs: number }>()

  constructor(options: { readonly clock?: Clock | undefined; readonly events?: TypedEmitter<BreakerEvents> | undefined } = {}) {
    this.#clock = options.clock ?? systemClock
    this.#events = options.events
  }

  breakerFor(policy: BreakerPolicy): ErrorRatioBreaker | undefined {
    let breaker = this.#breakers.get(policy.key)
    if (policy.circuitBreaker === undefined) {
      if (breaker !== undefined) {
        breaker.dispose()
        this.#breakers.delete(policy.key)
      }
      return undefined
    }
    if (breaker === undefined) {
      const restored = this.#restored.get(policy.key)
      this.#restored.delete(policy.key)
      breaker = new ErrorRatioBreaker({
        cluster: policy.key,
        config: policy.circuitBreaker,
        clock: this.#clock,
        events: this.#events,
        initial: restored === undefined ? undefined : aged(restored.snapshot, this.#clock.now() - restored.atMs),
      })
      this.#breakers.set(policy.key, breaker)
    } else {
      breaker.configure(policy.circuitBreaker)
    }
    return breaker
  }

  /** The clusters that have state here. */
  keys(): IterableIterator<string> {
    return this.#breakers.keys()
  }

  get(cluster: string): ErrorRatioBreaker | undefined {
    return this.#breakers.get(cluster)
  }

  /** Breakers that are not closed (a closed one needs no saving). */
  exportState(): Record<string, BreakerSnapshot> {
    const state: Record<string, BreakerSnapshot> = {}
    for (const [cluster, breaker] of this.#breakers) {
      const snapshot = breaker.snapshot()
      if (snapshot.state !== 'closed') state[cluster] = snapshot
    }
    for (const [cluster, pending] of this.#restored) {
      if (!(cluster in state)) state[cluster] = aged(pending.snapshot, this.#clock.now() - pending.atMs)
    }
    return state
  }

  /** Restores exported breakers; `elapsedMs` is the time since export. A breaker not made yet starts in its saved state. */
  restoreState(state: Readonly<Record<string, BreakerSnapshot>>, elapsedMs = 0): void {
    for (const [cluster, snapshot] of Object.entries(state)) {
      const existing = this.#breakers.get(cluster)
      if (existing !== undefined) {
        const config = existing.config
        existing.dispose()
        this.#breakers.set(cluster, new ErrorRatioBreaker({ cluster, config, clock: this.#clock, events: this.#events, initial: aged(snapshot, elapsedMs) }))
      } else {
        this.#restored.set(cluster, { snapshot, atMs: this.#clock.now() - elapsedMs })
      }
    }
  }

  /** Disposes the breakers of clusters not in `liveKeys` (after a reload dropped them). */
  retain(liveKeys: ReadonlySet<string>): void {
    for (const [key, breaker] of this.#breakers) {
      if (liveKeys.has(key)) continue
      breaker.dispose()
      this.#breakers.delete(key)
    }
  }

  close(): void {
    for (const breaker of this.#breakers.values()) breaker.dispose()
    this.#breakers.clear()
  }
}

/** An open breaker whose reset time ran out while saved is half-open now. */
function aged(snapshot: BreakerSnapshot, elapsedMs: number): BreakerSnapshot {
  if (snapshot.state !== 'open') return snapshot
  const remaining = (snapshot.resetRemainingMs ?? 0) - elapsedMs
  return remaining > 0 ? { state: 'open', resetRemainingMs: remaining } : { state: 'half-open', resetRemainingMs: undefined }
}
