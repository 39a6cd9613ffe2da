/**
 * How a source reconnects to its engine (the Kubernetes API server, etcd). The backoff follows
 * client-go's reflector (`k8s.io/client-go/tools/cache/reflector.go`: 800 ms initial, doubling,
 * 30 s cap, jittered), with a smaller first step because meshlet relists only the kinds it watches.
 */
export interface ReconnectSettings {
  /** First delay after a failure, doubled after each further failure. */
  readonly initialDelayMs: number
  /** Cap of the doubling. */
  readonly maxDelayMs: number
  /** Consecutive failed connections (failed, or dropped before `stableAfterMs`) that open the breaker. */
  readonly breakerThreshold: number
  /** How long an open breaker waits before one trial connection (half-open). */
  readonly breakerOpenMs: number
  /** A connection that stays up this long counts as a success: backoff and breaker reset. */
  readonly stableAfterMs: number
}

export const DEFAULT_RECONNECT: ReconnectSettings = Object.freeze({
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  breakerThreshold: 5,
  breakerOpenMs: 30_000,
  stableAfterMs: 10_000,
})
