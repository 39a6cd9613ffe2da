import type { BreakerSnapshot } from '../breaker/breaker.js'
import type { EndpointOutlierState } from '../outlier/detector.js'

/** The format version this meshlet writes and reads. */
export const RESILIENCE_STATE_VERSION = 1

/**
 * What a mesh learned about its destinations that is worth keeping across a restart: which
 * endpoints are ejected (with the time they have left) and how often they were, and which breakers
 * are open or half-open. Plain JSON. Times left are counted from `savedAtMs` (wall clock), so a
 * snapshot restored later is aged by the time it sat on disk.
 */
export interface ResilienceState {
  readonly version: typeof RESILIENCE_STATE_VERSION
  /** Wall-clock time (Date.now) when the snapshot was taken. */
  readonly savedAtMs: number
  /** Cluster → endpoint → state, for endpoints ejected or with a raised ejection multiplier. */
  readonly outliers: Readonly<Record<string, Readonly<Record<string, EndpointOutlierState>>>>
  /** Cluster → breaker, for breakers that are not closed. */
  readonly breakers: Readonly<Record<string, BreakerSnapshot>>
}
