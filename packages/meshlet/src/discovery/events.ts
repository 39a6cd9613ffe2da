import type { DiscoveryDegradedEvent, DiscoveryRecoveredEvent } from '@meshlet/discovery'

/**
 * Events of the live sources (Kubernetes, etcd). `discoveryDegraded`: a source lost its engine (or
 * its breaker opened) and the last known rules and endpoints stay in force; `discoveryRecovered`:
 * it is in sync again. Built only when someone listens.
 */
// A type alias, not an interface: TypedEmitter needs the implicit index signature.
export type DiscoveryEvents = {
  discoveryDegraded: (event: DiscoveryDegradedEvent) => void
  discoveryRecovered: (event: DiscoveryRecoveredEvent) => void
}
