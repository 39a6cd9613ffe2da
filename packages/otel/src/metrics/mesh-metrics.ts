import { ClusterStatsRegistry } from './cluster-stats.js'
import type { MetricFamily } from './families.js'
import { IstioRequestMetrics } from './request-metrics.js'
import type { RequestMetricsOptions } from './request-metrics.js'

export interface MeshMetricsOptions extends RequestMetricsOptions {
  readonly maxClusters?: number | undefined
}

/**
 * Everything one mesh counts: Istio's request metrics and the per-cluster stats. The data plane
 * records into it; the Prometheus text and the OpenTelemetry export read it.
 */
export class MeshMetrics {
  readonly requests: IstioRequestMetrics
  readonly clusters: ClusterStatsRegistry

  constructor(options: MeshMetricsOptions = {}) {
    this.requests = new IstioRequestMetrics(options)
    this.clusters = new ClusterStatsRegistry({ maxClusters: options.maxClusters })
  }

  /** Request metrics first, then cluster counters and gauges; the same order every time. */
  families(): MetricFamily[] {
    return [...this.requests.families(), ...this.clusters.families()]
  }
}
