import { isIpLiteral } from '@meshlet/core'
import type { MetricFamily, ScalarSample } from './families.js'

/**
 * Per-cluster counters in the spirit of Envoy's cluster statistics (envoy docs
 * configuration/upstream/cluster_manager/cluster_stats), named as Envoy names them under the
 * `meshlet_cluster_` prefix and labelled `cluster_name` as Istio's proxies label theirs. A cluster
 * is a destination host, port and subset: `outbound|9080|v1|reviews.default.svc.cluster.local`.
 * The fields are plain numbers the data plane increments; nothing is allocated per call.
 */
export class ClusterStats {
  readonly name: string
  /** Requests sent to an endpoint: every try counts (upstream_rq_total). */
  upstreamRqTotal = 0
  /** Tries that got a response from the endpoint (upstream_rq_completed). */
  upstreamRqCompleted = 0
  /** Responses by class: index 1..5 for 1xx..5xx (upstream_rq_<n>xx). */
  readonly upstreamRqByClass = new Float64Array(6)
  /** Requests refused by a connection pool limit: pending queue or active requests full (upstream_rq_pending_overflow). */
  upstreamRqPendingOverflow = 0
  /** Retries sent (upstream_rq_retry). */
  upstreamRqRetry = 0
  /** Retries that succeeded (upstream_rq_retry_success). */
  upstreamRqRetrySuccess = 0
  /** Retries not sent because the retry budget or maxRetries had no room (upstream_rq_retry_overflow). */
  upstreamRqRetryOverflow = 0
  /** Calls whose attempts were used up while the last try still failed (upstream_rq_retry_limit_exceeded). */
  upstreamRqRetryLimitExceeded = 0
  /** Calls that hit the route timeout (upstream_rq_timeout). */
  upstreamRqTimeout = 0
  /** Tries that hit the per-try timeout (upstream_rq_per_try_timeout). */
  upstreamRqPerTryTimeout = 0
  /** Tries reset by the upstream after the request was sent (upstream_rq_rx_reset). */
  upstreamRqRxReset = 0
  /** Tries cancelled by the caller (upstream_rq_cancelled). */
  upstreamRqCancelled = 0
  /** Connection attempts that failed or timed out (upstream_cx_connect_fail). */
  upstreamCxConnectFail = 0
  /** Ejections outlier detection carried out (outlier_detection.ejections_enforced_total). */
  outlierDetectionEjectionsEnforcedTotal = 0
  /** Ejections not carried out because maxEjectionPercent was reached (outlier_detection.ejections_overflow). */
  outlierDetectionEjectionsOverflow = 0

  constructor(name: string) {
    this.name = name
  }

  /** A try got a response with this status: counts it as completed and in its class. */
  recordResponse(status: number): void {
    this.upstreamRqCompleted += 1
    const statusClass = Math.floor(status / 100)
    if (statusClass >= 1 && statusClass <= 5) this.upstreamRqByClass[statusClass]! += 1
  }
}

/** What is read from the data plane's own state when metrics are collected, per cluster. */
export interface ClusterGauges {
  readonly cluster: string
  /** Requests in flight (upstream_rq_active). */
  readonly activeRequests?: number | undefined
  /** Requests waiting for a connection pool slot (upstream_rq_pending_active). */
  readonly pendingRequests?: number | undefined
  /** Endpoints ejected now (outlier_detection.ejections_active). */
  readonly ejectionsActive?: number | undefined
  /** Endpoints of the cluster (membership_total). */
  readonly membershipTotal?: number | undefined
  /** Endpoints not ejected (membership_healthy). */
  readonly membershipHealthy?: number | undefined
}

/** Reads the gauges of every cluster the data plane knows; called at collection time only. */
export type ClusterGaugeSource = () => Iterable<ClusterGauges>

export const DEFAULT_CLUSTER_STATS = {
  /**
   * Clusters kept. Cluster names come from the rules (host × port × subset), except passthrough
   * calls, which the data plane should count under one name (Istio's PassthroughCluster); the
   * bound guards against a caller that does not.
   */
  maxClusters: 2_000,
} as const

/** The name Istio gives the cluster of calls to hosts the mesh does not know. */
export const PASSTHROUGH_CLUSTER = 'PassthroughCluster'
/** Where clusters beyond the bound are counted. */
export const OVERFLOW_CLUSTER = 'overflow'

/**
 * The name a cluster is counted under. A destination host is never an IP address in Istio's rules
 * (a route destination or a DestinationRule host must be a name), so a cluster whose host is one
 * is a call to an address the mesh does not know: Istio counts those under PassthroughCluster, and
 * so does meshlet, which also keeps pod IPs out of label values.
 */
export function clusterStatName(cluster: string): string {
  const host = cluster.slice(cluster.lastIndexOf('|') + 1)
  return isIpLiteral(host) ? PASSTHROUGH_CLUSTER : cluster
}

interface CounterDefinition {
  readonly name: string
  readonly help: string
  readonly read: (stats: ClusterStats) => number
}

const COUNTERS: readonly CounterDefinition[] = [
  { name: 'upstream_rq_total', help: 'Requests sent to an endpoint of the cluster; every try counts.', read: (s) => s.upstreamRqTotal },
  { name: 'upstream_rq_completed', help: 'Tries that got a response from an endpoint.', read: (s) => s.upstreamRqCompleted },
  { name: 'upstream_rq_pending_overflow', help: 'Requests refused by a connection pool limit (answered 503 with flag UO).', read: (s) => s.upstreamRqPendingOverflow },
  { name: 'upstream_rq_retry', help: 'Retries sent.', read: (s) => s.upstreamRqRetry },
  { name: 'upstream_rq_retry_success', help: 'Retries that succeeded.', read: (s) => s.upstreamRqRetrySuccess },
  { name: 'upstream_rq_retry_overflow', help: 'Retries not sent because the retry budget or maxRetries had no room.', read: (s) => s.upstreamRqRetryOverflow },
  { name: 'upstream_rq_retry_limit_exceeded', help: 'Calls whose retry attempts were used up while the last try failed.', read: (s) => s.upstreamRqRetryLimitExceeded },
  { name: 'upstream_rq_timeout', help: 'Calls that reached the route timeout (answered 504).', read: (s) => s.upstreamRqTimeout },
  { name: 'upstream_rq_per_try_timeout', help: 'Tries that reached the per-try timeout.', read: (s) => s.upstreamRqPerTryTimeout },
  { name: 'upstream_rq_rx_reset', help: 'Tries reset by the endpoint after the request was sent.', read: (s) => s.upstreamRqRxReset },
  { name: 'upstream_rq_cancelled', help: 'Tries cancelled by the caller.', read: (s) => s.upstreamRqCancelled },
  { name: 'upstream_cx_connect_fail', help: 'Connections to an endpoint that failed or timed out.', read: (s) => s.upstreamCxConnectFail },
  { name: 'outlier_detection_ejections_enforced_total', help: 'Endpoints ejected by outlier detection.', read: (s) => s.outlierDetectionEjectionsEnforcedTotal },
  { name: 'outlier_detection_ejections_overflow', help: 'Ejections not carried out because maxEjectionPercent was reached.', read: (s) => s.outlierDetectionEjectionsOverflow },
]

interface GaugeDefinition {
  readonly name: string
  readonly help: string
  readonly read: (gauges: ClusterGauges) => number | undefined
}

const GAUGES: readonly GaugeDefinition[] = [
  { name: 'upstream_rq_active', help: 'Requests in flight to the cluster.', read: (g) => g.activeRequests },
  { name: 'upstream_rq_pending_active', help: 'Requests waiting for a connection pool slot.', read: (g) => g.pendingRequests },
  { name: 'outlier_detection_ejections_active', help: 'Endpoints of the cluster ejected by outlier detection now.', read: (g) => g.ejectionsActive },
  { name: 'membership_total', help: 'Endpoints of the cluster.', read: (g) => g.membershipTotal },
  { name: 'membership_healthy', help: 'Endpoints of the cluster not ejected.', read: (g) => g.membershipHealthy },
]

export const CLUSTER_METRIC_PREFIX = 'meshlet_cluster_'

/** The per-cluster stats of one mesh, and the gauge sources read at collection. */
export class ClusterStatsRegistry {
  readonly maxClusters: number
  readonly #clusters = new Map<string, ClusterStats>()
  /** Stats by the cluster key callers pass, so a call pays one Map lookup (no IP check). */
  readonly #byKey = new Map<string, ClusterStats>()
  readonly #gaugeSources = new Set<ClusterGaugeSource>()
  #overflow: ClusterStats | undefined

  constructor(options: { readonly maxClusters?: number | undefined } = {}) {
    this.maxClusters = options.maxClusters ?? DEFAULT_CLUSTER_STATS.maxClusters
  }

  /** The stats of a cluster, made on first use; keep the handle (per call target) rather than asking per call. */
  cluster(cluster: string): ClusterStats {
    const known = this.#byKey.get(cluster)
    if (known !== undefined) return known
    const name = clusterStatName(cluster)
    let stats = this.#clusters.get(name)
    if (stats === undefined) {
      if (this.#clusters.size >= this.maxClusters) return (this.#overflow ??= new ClusterStats(OVERFLOW_CLUSTER))
      stats = new ClusterStats(name)
      this.#clusters.set(name, stats)
    }
    // Passthrough keys (one per address) share one stats object; the bound keeps their keys from piling up.
    if (this.#byKey.size >= 2 * this.maxClusters) this.#byKey.clear()
    this.#byKey.set(cluster, stats)
    return stats
  }

  get(cluster: string): ClusterStats | undefined {
    return this.#clusters.get(clusterStatName(cluster))
  }

  /** Every cluster with stats, in the order first seen (the overflow cluster last, once used). */
  *clusters(): IterableIterator<ClusterStats> {
    yield* this.#clusters.values()
    if (this.#overflow !== undefined) yield this.#overflow
  }

  /** Adds a source of gauges; returns the function that removes it. */
  addGaugeSource(source: ClusterGaugeSource): () => void {
    this.#gaugeSources.add(source)
    return () => void this.#gaugeSources.delete(source)
  }

  /**
   * The gauges of every source, read now, by the name each cluster is counted under: clusters
   * counted under one name (passthrough addresses) are summed; a cluster that several sources
   * report keeps the last source's values.
   */
  readGauges(): Map<string, ClusterGauges> {
    const gauges = new Map<string, ClusterGauges>()
    for (const source of this.#gaugeSources) {
      const fromSource = new Map<string, ClusterGauges>()
      for (const entry of source()) {
        const name = clusterStatName(entry.cluster)
        const earlier = fromSource.get(name)
        fromSource.set(name, earlier === undefined ? { ...entry, cluster: name } : sumGauges(earlier, entry))
      }
      for (const [name, entry] of fromSource) gauges.set(name, entry)
    }
    return gauges
  }

  /** Counters, the per-class response counter, then gauges, as families (`meshlet_cluster_*`). */
  families(): MetricFamily[] {
    const clusters = [...this.clusters()]
    const labelsOf = (name: string) => [['cluster_name', name] as const]
    const families: MetricFamily[] = COUNTERS.map((counter) => ({
      type: 'counter',
      name: CLUSTER_METRIC_PREFIX + counter.name,
      help: counter.help,
      unit: '1',
      samples: clusters.map((stats) => ({ labels: labelsOf(stats.name), value: counter.read(stats) })),
    }))
    const byClass: ScalarSample[] = []
    for (const stats of clusters) {
      for (let statusClass = 1; statusClass <= 5; statusClass++) {
        const value = stats.upstreamRqByClass[statusClass]!
        if (value > 0) byClass.push({ labels: [['cluster_name', stats.name], ['response_code_class', `${statusClass}xx`]], value })
      }
    }
    families.push({ type: 'counter', name: `${CLUSTER_METRIC_PREFIX}upstream_rq_xx`, help: 'Tries that got a response, by response code class.', unit: '1', samples: byClass })
    const gauges = [...this.readGauges().values()]
    for (const gauge of GAUGES) {
      const samples: ScalarSample[] = []
      for (const entry of gauges) {
        const value = gauge.read(entry)
        if (value !== undefined) samples.push({ labels: labelsOf(entry.cluster), value })
      }
      families.push({ type: 'gauge', name: CLUSTER_METRIC_PREFIX + gauge.name, help: gauge.help, unit: '1', samples })
    }
    return families
  }
}

function sumGauges(a: ClusterGauges, b: ClusterGauges): ClusterGauges {
  const add = (x: number | undefined, y: number | undefined) => (x === undefined ? y : y === undefined ? x : x + y)
  return {
    cluster: a.cluster,
    activeRequests: add(a.activeRequests, b.activeRequests),
    pendingRequests: add(a.pendingRequests, b.pendingRequests),
    ejectionsActive: add(a.ejectionsActive, b.ejectionsActive),
    membershipTotal: add(a.membershipTotal, b.membershipTotal),
    membershipHealthy: add(a.membershipHealthy, b.membershipHealthy),
  }
}
