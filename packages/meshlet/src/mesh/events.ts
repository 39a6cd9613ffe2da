import type { MeshConfigError } from '@meshlet/rules'
import type { BreakerEvents, OutlierEvents, PoolEvents, RetryEvents, TimeoutEvents } from '@meshlet/resilience'
import type { DiscoveryEvents } from '../discovery/events.js'

/** A call finished (response headers received or answered locally). Emitted only when someone listens. */
export interface RequestEvent {
  readonly method: string
  readonly url: string
  readonly status: number
  /** Why meshlet answered itself, when it did (x-meshlet-reason). */
  readonly localReason: string | undefined
  /** Name of the VirtualService route that matched, if it has one. */
  readonly route: string | undefined
  /** Envoy-style cluster name the call went to (`outbound|9080|v1|reviews.default.svc.cluster.local`). */
  readonly cluster: string | undefined
  /** `address:port` of the endpoint of the last try. */
  readonly endpoint: string | undefined
  /** Tries made, the first included (0 when the call never became a try: no route, a fault abort, a redirect). */
  readonly tries: number
  /** From entering mesh.fetch to response headers, on the mesh clock. */
  readonly durationMs: number
  /**
   * The call's final gRPC status, for a gRPC answer (Istio's grpc_response_status): grpc-status of
   * a trailers-only answer, else of the trailers, in which case the event waits for the body's end;
   * undefined for any other answer, or when the stream broke before its trailers.
   */
  readonly grpcStatus: number | undefined
}

/** A mirrored copy of a call finished; its answer is dropped. */
export interface MirrorEvent {
  readonly cluster: string | undefined
  /** The shadow authority (`reviews-shadow:9080`). */
  readonly authority: string
  /** The status the shadow got, or would have been answered with (503/504) when it failed. */
  readonly status: number | undefined
  /** Why meshlet answered the shadow itself, or why it failed (connect-failure, ...). */
  readonly reason: string | undefined
  /** The error, for a shadow that failed without an upstream response. */
  readonly error: unknown
}

/** A fault rule delayed or aborted a call. */
export type FaultEvent =
  | { readonly kind: 'delay'; readonly delayMs: number; readonly route: string | undefined; readonly host: string | undefined }
  | { readonly kind: 'abort'; readonly status: number; readonly grpcStatus: string | undefined; readonly route: string | undefined; readonly host: string | undefined }

export interface ConfigReloadedEvent {
  readonly generation: number
  readonly files: readonly string[]
}

/** The data plane's own events. */
// Type aliases, not interfaces: TypedEmitter needs the implicit index signature.
export type DataPlaneEvents = {
  configReloaded: (event: ConfigReloadedEvent) => void
  configRejected: (error: MeshConfigError) => void
  request: (event: RequestEvent) => void
  mirror: (event: MirrorEvent) => void
  fault: (event: FaultEvent) => void
}

/**
 * Events of a mesh (`mesh.on(name, listener)`): the data plane's, and those of the resilience
 * layers (retry, giveUp, timeout, overflow, endpointEjected, endpointReturned, ejectionSkipped,
 * circuitOpened, ...), and those of live sources (discoveryDegraded, discoveryRecovered). Each is
 * built only when it has a listener, so an unobserved mesh pays nothing.
 */
export type MeshEvents = DataPlaneEvents & RetryEvents & TimeoutEvents & PoolEvents & OutlierEvents & BreakerEvents & DiscoveryEvents
