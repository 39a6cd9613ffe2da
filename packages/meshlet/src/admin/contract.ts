import type { MeshEndpoint } from '@meshlet/core'
import type { MeshMetrics } from '@meshlet/otel'
import type { MeshSnapshot } from '@meshlet/rules'
import type { GatewayView } from './render/gateway-view.js'

/**
 * What the admin server reads. The mesh's adapter (sources.ts) builds it from the data plane's
 * registries; tests and other hosts (a gateway) may build their own.
 */
export interface AdminSources {
  /** The compiled rules new calls use. */
  snapshot(): MeshSnapshot
  /** Every destination cluster the data plane has balanced, with its endpoints. */
  clusters(): readonly ClusterView[]
  /** The counts served at /stats/prometheus and read for observed splits. */
  readonly metrics: MeshMetrics
  /** What happened lately (ejections, rejected config, retries), oldest first. */
  recentEvents(): readonly AdminEvent[]
  /** Whether the mesh takes calls (false once it is closing). */
  ready(): boolean
  /** The time scale of `AdminEvent.atMs` (the mesh clock), so a page can say how long ago. */
  nowMs(): number
  /**
   * Called when an admin server starts; returns what to call when it stops. The mesh's sources
   * subscribe to events only between the two, so a mesh without an admin server pays nothing.
   */
  open?(): () => void
  /** The gateway this process implements (createGateway): served at /gateway and on the page. */
  gateway?(): GatewayView | undefined
}

/** One destination cluster (host, port, subset) as the balancer and outlier detection see it. */
export interface ClusterView {
  /** Envoy's cluster name, `outbound|9080|v1|reviews.default.svc.cluster.local`. */
  readonly name: string
  readonly host: string
  readonly port: number | undefined
  readonly subset: string | undefined
  /** The balancing algorithm in effect (LEAST_REQUEST by Istio's default). */
  readonly algorithm: string
  /** Healthy endpoints are below the panic threshold, so ejected ones are used too. */
  readonly panic: boolean
  /** Requests in flight (the pool limits' count when the cluster has limits, else the balancer's). */
  readonly activeRequests: number
  /** Requests queued for a connection pool slot, when the cluster has limits. */
  readonly pendingRequests: number | undefined
  /** Whether the cluster's DestinationRule has outlier detection. */
  readonly outlierDetection: boolean
  /** `meshlet.io/circuit-breaker` state, when the cluster has one. */
  readonly circuitBreaker: 'closed' | 'open' | 'half-open' | undefined
  readonly endpoints: readonly EndpointView[]
}

/** An endpoint as the data plane holds it, with what the balancer and outlier detection know of it now. */
export interface EndpointView extends MeshEndpoint {
  readonly health: 'healthy' | 'ejected'
  /** While ejected: time left before it may return, and how many times it has been ejected. */
  readonly ejection: { readonly remainingMs: number | undefined; readonly ejections: number } | undefined
  /** Requests in flight to it (known for endpoints the balancer may pick). */
  readonly activeRequests: number | undefined
  /** The load metric's cost (peak-EWMA latency estimate, or pending requests); lower is preferred. */
  readonly cost: number | undefined
  /** Slow-start multiplier in (0, 1]; 1 when not warming up. */
  readonly warmupFactor: number | undefined
  /** Locality priority (0 is the closest) and the share of traffic that priority gets, in percent. */
  readonly priority: number | undefined
  readonly priorityLoadPercent: number | undefined
  /** The effective weight of its locality within its priority. */
  readonly localityWeight: number | undefined
}

export type AdminEventKind =
  | 'configReloaded'
  | 'configRejected'
  | 'endpointEjected'
  | 'endpointReturned'
  | 'ejectionSkipped'
  | 'retry'
  | 'giveUp'
  | 'overflow'
  | 'timeout'
  | 'fault'
  | 'circuitOpened'
  | 'circuitHalfOpened'
  | 'circuitClosed'

/** One event, as plain JSON for the page. */
export interface AdminEvent {
  readonly kind: AdminEventKind
  /** When it happened, on the mesh clock (see AdminSources.nowMs). */
  readonly atMs: number
  readonly cluster: string | undefined
  /** One line for a person. */
  readonly summary: string
}
