/** The engines meshlet discovers from. */
export type SourceName = 'kubernetes' | 'etcd'

/** A source lost its engine (or part of it): the last known rules and endpoints stay in force. */
export interface DiscoveryDegradedEvent {
  readonly source: SourceName
  /** What failed, e.g. `watch endpointslices.discovery.k8s.io in namespace shop`, `watch etcd /meshlet/`. */
  readonly resource: string
  /** Why, as a MeshError with a stable code when meshlet knows it (MESHLET_ERR_DISCOVERY_*). */
  readonly error: Error
  /** True when the reconnect breaker opened: the engine kept failing (or flapping), reconnects now pause. */
  readonly breakerOpen: boolean
}

/** A source is in sync again after being degraded: what changed meanwhile has been applied. */
export interface DiscoveryRecoveredEvent {
  readonly source: SourceName
  /** How long it was degraded, on the mesh clock. */
  readonly downMs: number
}

/** A document a source read was rejected (invalid), and its last good version kept. */
export interface DocumentRejection {
  readonly source: SourceName
  readonly origin: string
  readonly error: Error
}

/** Where sources report their health; meshlet turns it into mesh events. */
export interface SourceReporter {
  degraded(event: DiscoveryDegradedEvent): void
  recovered(event: DiscoveryRecoveredEvent): void
  rejected(rejection: DocumentRejection): void
}

/** A reporter that drops everything (tests, the CLI). */
export const SILENT_REPORTER: SourceReporter = Object.freeze({ degraded() {}, recovered() {}, rejected() {} })
