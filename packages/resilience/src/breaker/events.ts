import type { BreakerState } from './policy.js'

export interface CircuitOpenedEvent {
  readonly cluster: string
  /** The state it opened from: closed (error ratio reached) or half-open (a trial call failed). */
  readonly from: BreakerState
  /** Calls and failures in the window when it opened (from closed). */
  readonly calls: number
  readonly failures: number
  /** Time before trial calls are let through. */
  readonly resetTimeoutMs: number
}

export interface CircuitStateEvent {
  readonly cluster: string
}

export type BreakerEvents = {
  circuitOpened: (event: CircuitOpenedEvent) => void
  circuitHalfOpened: (event: CircuitStateEvent) => void
  circuitClosed: (event: CircuitStateEvent) => void
  /** A call answered with a local 503 because the circuit is open. */
  circuitRejected: (event: CircuitStateEvent) => void
}
