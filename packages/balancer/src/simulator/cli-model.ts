import type { BalancerConfig } from '../config/config.js'
import type { BalancerEndpoint } from '../endpoint/endpoint.js'
import { parseLatencyProfile, type LatencyProfile } from './latency.js'
import { formatReport } from './report.js'
import { simulate, type SimulationReport } from './run.js'
import type { SimulatedDestination, SimulatedEndpoint, SimulatedPoolLimits, SimulatedRetries, SimulatedRoute, TimelineEvent } from './scenario.js'

/**
 * What `meshlet simulate` knows after compiling the user's files: the destinations a route splits
 * traffic between, each with its compiled policies and endpoints, plus latency profiles and
 * failure rates for the endpoints. Compiled snapshot objects (`CompiledLoadBalancer`,
 * `CompiledOutlierDetection`, `CompiledRetryPolicy`, `CompiledEndpoint`) fit these shapes as they are.
 */
export interface SimulationModel {
  readonly seed?: number | undefined
  /** Default 10,000. */
  readonly requests?: number | undefined
  /** Default 10. */
  readonly concurrency?: number | undefined
  readonly thinkTimeMs?: number | undefined
  readonly hashKeys?: number | undefined
  readonly localLocality?: string | undefined
  readonly localLabels?: Readonly<Record<string, string>> | undefined
  /** For endpoints that name none; default `lognormal(10ms, 0.3)`. */
  readonly defaultLatency?: LatencyProfile | string | undefined
  readonly destinations: readonly ModelDestination[]
  /** The route's timeout and fault injection (CompiledRoute's `timeoutMs` and `fault` fit). */
  readonly route?: SimulatedRoute | undefined
  readonly timeline?: readonly TimelineEvent[] | undefined
}

export interface ModelDestination {
  readonly host: string
  readonly subset?: string | undefined
  /** The route weight of this destination (relative). Default 1. */
  readonly weight?: number | undefined
  readonly loadBalancer?: BalancerConfig | undefined
  readonly outlierDetection?:
    | {
        readonly consecutive5xxErrors?: number | undefined
        readonly consecutiveGatewayErrors?: number | undefined
        readonly baseEjectionTimeMs?: number | undefined
        readonly maxEjectionPercent?: number | undefined
      }
    | undefined
  readonly retries?: SimulatedRetries | undefined
  /** The cluster's connectionPool limits (CompiledConnectionPool fits). */
  readonly connectionPool?: SimulatedPoolLimits | undefined
  readonly endpoints: readonly ModelEndpoint[]
}

export interface ModelEndpoint extends BalancerEndpoint {
  /** WorkloadEntry ports by name; a single one is used as the endpoint's port. */
  readonly ports?: Readonly<Record<string, number>> | undefined
  readonly latency?: LatencyProfile | string | undefined
  readonly failureRate?: number | undefined
  readonly concurrency?: number | undefined
  readonly joinAtMs?: number | undefined
}

/** Istio's outlier detection defaults (reference §14): 5 consecutive 5xx, 30 s, 10 %. */
const OUTLIER_DEFAULTS = { consecutive5xxErrors: 5, baseEjectionTimeMs: 30_000, maxEjectionPercent: 10 } as const
const DEFAULT_LATENCY: LatencyProfile = { kind: 'logNormal', medianMs: 10, sigma: 0.3 }

/** Runs the model in the simulator and returns the report with its printable text. */
export function simulateModel(model: SimulationModel): { readonly report: SimulationReport; readonly text: string } {
  const defaultLatency = toProfile(model.defaultLatency) ?? DEFAULT_LATENCY
  const report = simulate({
    seed: model.seed,
    requests: model.requests ?? 10_000,
    concurrency: model.concurrency ?? 10,
    thinkTimeMs: model.thinkTimeMs,
    hashKeys: model.hashKeys,
    timeline: model.timeline,
    route: model.route,
    balancerOptions: { localLocality: model.localLocality, localLabels: model.localLabels },
    destinations: model.destinations.map((destination) => toDestination(destination, defaultLatency)),
  })
  return { report, text: formatReport(report) }
}

function toDestination(destination: ModelDestination, defaultLatency: LatencyProfile): SimulatedDestination {
  const outlier = destination.outlierDetection
  // Simulated failures are 5xx answers: they count toward consecutive5xxErrors and gateway errors.
  const threshold = outlier === undefined ? 0 : outlier.consecutive5xxErrors ?? OUTLIER_DEFAULTS.consecutive5xxErrors
  const consecutiveErrors = threshold > 0 ? threshold : (outlier?.consecutiveGatewayErrors ?? 0) > 0 ? outlier!.consecutiveGatewayErrors! : Infinity
  return {
    name: destination.subset === undefined ? destination.host : `${destination.host} subset ${destination.subset}`,
    weight: destination.weight,
    loadBalancer: destination.loadBalancer,
    retries: destination.retries,
    connectionPool: destination.connectionPool,
    outlierDetection:
      outlier === undefined
        ? undefined
        : {
            consecutiveErrors,
            baseEjectionMs: outlier.baseEjectionTimeMs ?? OUTLIER_DEFAULTS.baseEjectionTimeMs,
            maxEjectionPercent: outlier.maxEjectionPercent ?? OUTLIER_DEFAULTS.maxEjectionPercent,
          },
    endpoints: destination.endpoints.map((endpoint): SimulatedEndpoint => {
      const ports = endpoint.ports === undefined ? [] : Object.values(endpoint.ports)
      return {
        address: endpoint.address,
        port: endpoint.port ?? (ports.length === 1 ? ports[0] : undefined),
        weight: endpoint.weight,
        locality: endpoint.locality,
        labels: endpoint.labels,
        network: endpoint.network,
        latency: toProfile(endpoint.latency) ?? defaultLatency,
        failureRate: endpoint.failureRate,
        concurrency: endpoint.concurrency,
        joinAtMs: endpoint.joinAtMs,
      }
    }),
  }
}

function toProfile(value: LatencyProfile | string | undefined): LatencyProfile | undefined {
  return typeof value === 'string' ? parseLatencyProfile(value) : value
}
