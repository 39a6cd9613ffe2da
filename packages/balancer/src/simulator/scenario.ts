import type { BalancerConfig, BalancerOptions } from '../config/config.js'
import type { BalancerEndpoint } from '../endpoint/endpoint.js'
import type { LatencyProfile } from './latency.js'

/** An endpoint of the simulation: how it answers, and what the balancer sees of it. */
export interface SimulatedEndpoint extends BalancerEndpoint {
  readonly latency: LatencyProfile
  /** Share of calls that fail, 0..1. */
  readonly failureRate?: number | undefined
  /** Calls it serves at once; more wait in line (first come, first served). Unlimited by default. */
  readonly concurrency?: number | undefined
  /** Joins the destination this long after the start (slow start applies), instead of at the start. */
  readonly joinAtMs?: number | undefined
}

/** Consecutive-failure ejection, enough of Envoy's outlier detection to see failover happen. */
export interface SimulatedOutlierDetection {
  readonly consecutiveErrors: number
  readonly baseEjectionMs: number
  /** At least one endpoint may always be ejected, as in Envoy. */
  readonly maxEjectionPercent: number
}

/** One destination of a route (host and subset) with its traffic policy and endpoints. */
export interface SimulatedDestination {
  readonly name: string
  /** Route weight: share of the requests (relative, like VirtualService weights). Default 1. */
  readonly weight?: number | undefined
  /** The compiled load balancer policy; undefined = Istio's default (LEAST_REQUEST). */
  readonly loadBalancer: BalancerConfig | undefined
  readonly endpoints: readonly SimulatedEndpoint[]
  readonly outlierDetection?: SimulatedOutlierDetection | undefined
  /** Retries after a failed try, on another endpoint unless `avoidPreviousHosts` is false. */
  readonly retries?: SimulatedRetries | undefined
  /** Connection pool limits of this cluster (Envoy circuit breakers); unlimited when absent. */
  readonly connectionPool?: SimulatedPoolLimits | undefined
}

export interface SimulatedRetries {
  readonly attempts: number
  readonly avoidPreviousHosts?: boolean | undefined
  /** Bounds each try; a try that runs over fails as a timeout. */
  readonly perTryTimeoutMs?: number | undefined
  /** Base of Envoy's jittered exponential backoff between tries; no wait when absent. */
  readonly backoffBaseMs?: number | undefined
  /** Cap of the backoff (Envoy: 10 × base). */
  readonly backoffMaxMs?: number | undefined
  /** Whether retryOn covers a failed answer (a 503) and a per-try timeout. Both default to true. */
  readonly retryOn?: { readonly failure: boolean; readonly perTryTimeout: boolean } | undefined
}

/**
 * Envoy's per-cluster limits as Istio's connectionPool sets them: requests in flight up to
 * maxConnections (one per HTTP/1 connection) and http2MaxRequests, then a FIFO wait of at most
 * http1MaxPendingRequests, then a local 503 overflow that is never retried; retries in flight up
 * to maxRetries. 0 means unlimited, as in Istio.
 */
export interface SimulatedPoolLimits {
  readonly maxConnections?: number | undefined
  readonly http1MaxPendingRequests?: number | undefined
  readonly http2MaxRequests?: number | undefined
  readonly maxRetries?: number | undefined
}

/** What the route does before and around the tries (Envoy's fault filter and route timeout). */
export interface SimulatedRoute {
  /** Bounds the whole request, retries and backoff included; the answer is then 504. */
  readonly timeoutMs?: number | undefined
  readonly fault?:
    | {
        /** Delays a share of requests before they are routed; not counted in the timeouts. */
        readonly delay?: { readonly fixedDelayMs: number; readonly percentage: number } | undefined
        /** Answers a share of requests locally (never retried). */
        readonly abort?: { readonly percentage: number } | undefined
      }
    | undefined
}

/** Something that happens at a moment of the run. */
export interface TimelineEvent {
  readonly atMs: number
  readonly action: 'eject' | 'return' | 'remove' | 'add'
  /** Destination name; the first destination when omitted. */
  readonly destination?: string | undefined
  /** Endpoint key, `address:port` (or the address when it has no port). */
  readonly endpoint: string
}

export interface SimulationScenario {
  /** Same seed, same report. Default 1. */
  readonly seed?: number | undefined
  readonly requests: number
  /** Clients sending one request after another (closed loop). */
  readonly concurrency: number
  /** Pause of each client between its requests. Default 0. */
  readonly thinkTimeMs?: number | undefined
  /** Distinct hash keys requests carry (header, cookie, query parameter and source IP). Default 1,000. */
  readonly hashKeys?: number | undefined
  readonly destinations: readonly SimulatedDestination[]
  /** The route's timeout and fault injection, which apply to every destination. */
  readonly route?: SimulatedRoute | undefined
  readonly timeline?: readonly TimelineEvent[] | undefined
  /** Passed to every balancer (locality, panic threshold, peak-EWMA and least-request knobs). */
  readonly balancerOptions?:
    | Pick<BalancerOptions, 'localLocality' | 'localLabels' | 'panicThresholdPercent' | 'peakEwma' | 'leastRequest' | 'hostSelectionRetryMaxAttempts'>
    | undefined
}
