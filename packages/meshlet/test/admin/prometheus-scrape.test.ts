import { afterEach, describe, expect, it } from 'vitest'
import { MeshMetrics } from '@meshlet/otel'
import { seededRandom } from '@meshlet/testing'
import type { AdminServer } from 'meshlet'
import { at, mesh, upstream } from '../helpers.js'
import { waitFor } from './support/free-port.js'
import { startPrometheus } from './support/prometheus.js'
import type { PrometheusServer, PromSample } from './support/prometheus.js'

// A real Prometheus (Debian's package) scrapes the admin server's /stats/prometheus, and PromQL
// over its HTTP API returns the traffic that was sent, counted by the mesh's own telemetry layer.

const RULES = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews, subset: v1 }
      weight: 80
    - destination: { host: reviews, subset: v2 }
      weight: 20
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** `sum by (destination_version)` results as version → value. */
function byVersion(samples: readonly PromSample[]): Record<string, number> {
  return Object.fromEntries(samples.map((sample) => [sample.metric.destination_version ?? '', Number(sample.value[1])]))
}

describe('a real Prometheus scraping /stats/prometheus', () => {
  it('answers sum by (destination_version) (istio_requests_total) with the calls sent', { timeout: 60_000 }, async () => {
    const [v1, v2] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const labels = new Map([[v1.authority, { app: 'reviews', version: 'v1' }], [v2.authority, { app: 'reviews', version: 'v2' }]])
    const metrics = new MeshMetrics({ identity: { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } } })
    const m = await mesh({ telemetry: { metrics }, yaml: RULES, random: seededRandom(11), endpoints: { reviews: [at(v1, labels.get(v1.authority)), at(v2, labels.get(v2.authority))] } })
    const admin: AdminServer = await m.listenAdmin({ port: 0, metrics })
    cleanups.push(() => admin.close())

    const sent: Record<string, number> = { v1: 0, v2: 0 }
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const response = await m.fetch('http://reviews:9080/')
        const version = response.headers.get('x-upstream')!
        sent[version] = (sent[version] ?? 0) + 1
        await response.arrayBuffer()
      }
    }
    await send(50)

    const prometheus: PrometheusServer = await startPrometheus(new URL(admin.url).host, '/stats/prometheus')
    cleanups.push(() => prometheus.close())

    const query = 'sum by (destination_version) (istio_requests_total{reporter="source",destination_service="reviews.default.svc.cluster.local"})'
    const matches = (expected: Record<string, number>) => async () => {
      const result = byVersion(await prometheus.query(query))
      return JSON.stringify(result) === JSON.stringify(expected) ? result : undefined
    }
    expect(sent.v1! + sent.v2!).toBe(50)
    expect(sent.v2).toBeGreaterThan(0)
    expect(await waitFor('the first scrape', matches({ ...sent }), 20_000, 250)).toEqual(sent)

    // The next scrapes see new traffic.
    await send(30)
    expect(await waitFor('a later scrape', matches({ ...sent }), 20_000, 250)).toEqual(sent)

    // The histograms parse as histograms: their _count agrees with the counter.
    const counts = await prometheus.query('sum(istio_request_duration_milliseconds_count)')
    expect(Number(counts[0]!.value[1])).toBe(80)
    const buckets = await prometheus.query('count(istio_request_duration_milliseconds_bucket{le="+Inf"})')
    expect(Number(buckets[0]!.value[1])).toBeGreaterThan(0)
    // And the cluster stats sit beside them, per cluster.
    const clusters = await prometheus.query('sum by (cluster_name) (meshlet_cluster_upstream_rq_total)')
    expect(clusters.map((sample) => sample.metric.cluster_name).sort()).toEqual(['outbound|9080|v1|reviews.default.svc.cluster.local', 'outbound|9080|v2|reviews.default.svc.cluster.local'])
  })
})
