import type { BreakerRegistry } from '../breaker/registry.js'
import type { OutlierRegistry } from '../outlier/registry.js'
import { RESILIENCE_STATE_VERSION } from './format.js'
import type { ResilienceState } from './format.js'
import { parseResilienceState } from './parse.js'

export interface StateRegistries {
  readonly outliers?: OutlierRegistry | undefined
  readonly breakers?: BreakerRegistry | undefined
  /** Wall clock for aging; default Date.now. */
  readonly wallClock?: (() => number) | undefined
}

/** Takes a JSON-serialisable snapshot of breaker and outlier state. */
export function snapshotState(registries: StateRegistries): ResilienceState {
  const wallClock = registries.wallClock ?? Date.now
  return {
    version: RESILIENCE_STATE_VERSION,
    savedAtMs: wallClock(),
    outliers: registries.outliers?.exportState() ?? {},
    breakers: registries.breakers?.exportState() ?? {},
  }
}

/**
 * Restores a snapshot (parsed JSON is fine). It is checked first, and nothing is restored unless
 * all of it is valid: a malformed snapshot or one of another version throws
 * MESHLET_ERR_STATE_INVALID listing every problem. Clusters not in use yet take their state on
 * their first call.
 */
export function restoreState(value: unknown, registries: StateRegistries): ResilienceState {
  const state = parseResilienceState(value)
  const wallClock = registries.wallClock ?? Date.now
  const elapsedMs = Math.max(0, wallClock() - state.savedAtMs)
  registries.outliers?.restoreState(state.outliers, elapsedMs)
  registries.breakers?.restoreState(state.breakers, elapsedMs)
  return state
}
