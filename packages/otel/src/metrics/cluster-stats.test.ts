import { describe, expect, it } from 'vitest'
import { ClusterStatsRegistry } from './cluster-stats.js'
import type { MetricFamily, ScalarSample } from './families.js'

/** The samples of a counter or gauge family. */
function scalars(family: MetricFamily | undefined): readonly ScalarSample[] {
  if (family === undefined || family.type === 'histogram') throw new Error('not a counter or gauge')
  return family.samples
}

const CLUSTER = 'outbound|9080|v1|reviews.default.svc.cluster.local'

describe('cluster stats', () => {
  it('count per cluster what the data plane adds, under Envoy names with the meshlet_cluster_ prefix', () => {
    const registry = new ClusterStatsRegistry()
    const stats = registry.cluster(CLUSTER)
    stats.upstreamRqTotal += 3
    stats.upstreamRqRetry += 2
    stats.recordResponse(503)
    stats.recordResponse(503)
    stats.recordResponse(200)
    const families = registry.families()
    const value = (name: string) => scalars(families.find((family) => family.name === name))[0]
    expect(value('meshlet_cluster_upstream_rq_total')).toEqual({ labels: [['cluster_name', CLUSTER]], value: 3 })
    expect(value('meshlet_cluster_upstream_rq_retry')?.value).toBe(2)
    expect(value('meshlet_cluster_upstream_rq_completed')?.value).toBe(3)
    expect(families.find((family) => family.name === 'meshlet_cluster_upstream_rq_xx')?.samples).toEqual([
      { labels: [['cluster_name', CLUSTER], ['response_code_class', '2xx']], value: 1 },
      { labels: [['cluster_name', CLUSTER], ['response_code_class', '5xx']], value: 2 },
    ])
  })

  it('give the same handle for the same cluster', () => {
    const registry = new ClusterStatsRegistry()
    expect(registry.cluster(CLUSTER)).toBe(registry.cluster(CLUSTER))
  })

  it('read gauges from their sources only when collected, and stop once a source is removed', () => {
    const registry = new ClusterStatsRegistry()
    let reads = 0
    const remove = registry.addGaugeSource(() => {
      reads++
      return [{ cluster: CLUSTER, activeRequests: 4, ejectionsActive: 1, membershipTotal: 3, membershipHealthy: 2 }]
    })
    expect(reads).toBe(0)
    const gauge = (name: string) => {
      const family = registry.families().find((candidate) => candidate.name === name)
      return { ...family, samples: scalars(family) }
    }
    expect(gauge('meshlet_cluster_outlier_detection_ejections_active')).toMatchObject({ type: 'gauge', samples: [{ labels: [['cluster_name', CLUSTER]], value: 1 }] })
    expect(gauge('meshlet_cluster_upstream_rq_active').samples[0]?.value).toBe(4)
    expect(gauge('meshlet_cluster_upstream_rq_pending_active').samples).toEqual([])
    remove()
    expect(gauge('meshlet_cluster_upstream_rq_active').samples).toEqual([])
  })

  it('count clusters beyond the bound under one overflow cluster', () => {
    const registry = new ClusterStatsRegistry({ maxClusters: 1 })
    registry.cluster('a').upstreamRqTotal++
    registry.cluster('b').upstreamRqTotal++
    registry.cluster('c').upstreamRqTotal++
    expect([...registry.clusters()].map((stats) => [stats.name, stats.upstreamRqTotal])).toEqual([['a', 1], ['overflow', 2]])
  })

  it('counts calls to unknown addresses under PassthroughCluster, so no IP becomes a label value', () => {
    const registry = new ClusterStatsRegistry()
    registry.cluster('outbound|80||10.1.2.3').upstreamRqTotal++
    registry.cluster('outbound|8080||[fe80::1]').upstreamRqTotal++
    registry.cluster('outbound|80||example.org').upstreamRqTotal++
    expect([...registry.clusters()].map((stats) => [stats.name, stats.upstreamRqTotal])).toEqual([['PassthroughCluster', 2], ['outbound|80||example.org', 1]])
    registry.addGaugeSource(() => [
      { cluster: 'outbound|80||10.1.2.3', activeRequests: 2, membershipTotal: 1 },
      { cluster: 'outbound|80||10.1.2.4', activeRequests: 1, membershipTotal: 1 },
    ])
    expect(registry.readGauges().get('PassthroughCluster')).toEqual({ cluster: 'PassthroughCluster', activeRequests: 3, pendingRequests: undefined, ejectionsActive: undefined, membershipTotal: 2, membershipHealthy: undefined })
    expect(registry.families().some((family) => family.samples.some((sample) => sample.labels.some(([, value]) => value.includes('10.1.2'))))).toBe(false)
  })
})
