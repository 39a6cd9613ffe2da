import type { OverflowLimit } from './resources.js'

/** A request refused by a connection pool limit (Envoy's UO flag, upstream_rq_pending_overflow). */
export interface OverflowEvent {
  readonly cluster: string
  /** Which threshold was full: the pending queue or the active requests. */
  readonly limit: OverflowLimit
  readonly activeRequests: number
  readonly pendingRequests: number
}

export type PoolEvents = {
  overflow: (event: OverflowEvent) => void
}
