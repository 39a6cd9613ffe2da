import { describe, expect, it, vi } from 'vitest'
import { MeshMetrics } from '@meshlet/otel'
import type { MetricFamily } from '@meshlet/otel'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { at, mesh, upstream } from '../helpers.js'
import { drive, refusing, refusingPort } from '../chaos/support.js'
import { otelMeter } from './support.js'
import { answerWithTrailers, serviceEntry, startH2 } from '../http2/support.js'

// Istio's standard request metrics and Envoy-style cluster stats, counted by the mesh's own
// telemetry layers: labels and response flags as Istio's reference names them.

const identity = { workload: 'productpage-v1', namespace: 'shop', labels: { app: 'productpage', version: 'v1' } }

/** The istio_requests_total series as label maps with their count. */
function requests(metrics: MeshMetrics): Array<Record<string, string | number>> {
  const family = metrics.families().find((f) => f.name === 'istio_requests_total') as Extract<MetricFamily, { type: 'counter' | 'gauge' }>
  return family.samples.map((sample) => ({ ...Object.fromEntries(sample.labels), count: sample.value }))
}

function clusterStat(metrics: MeshMetrics, name: string, cluster: string): number {
  const family = metrics.families().find((f) => f.name === `meshlet_cluster_${name}`)
  const sample = (family?.samples as Array<{ labels: ReadonlyArray<readonly [string, string]>; value: number }> | undefined)?.find((s) => s.labels.some(([key, value]) => key === 'cluster_name' && value === cluster))
  return sample?.value ?? 0
}

const vs = (name: string, http: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: shop }
spec:
  hosts: [${name}]
  http:
${http}
`

describe('Istio standard metrics of a mesh', () => {
  it('counts a weighted split by destination_version with the source and destination labels Istio uses', async () => {
    const metrics = new MeshMetrics({ identity })
    const [v1, v2] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const m = await mesh({
      namespace: 'shop',
      random: seededRandom(8),
      telemetry: { metrics },
      yaml: [
        vs('reviews', '  - route:\n    - { destination: { host: reviews, subset: v1 }, weight: 50 }\n    - { destination: { host: reviews, subset: v2 }, weight: 50 }'),
        `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`,
      ],
      endpoints: { reviews: [at(v1, { app: 'reviews', version: 'v1' }), at(v2, { app: 'reviews', version: 'v2' })] },
    })
    for (let i = 0; i < 40; i++) await (await m.fetch('http://reviews:9080/', { method: 'POST', body: 'twelve bytes' })).arrayBuffer()
    const series = requests(metrics)
    expect(series.map((s) => [s.destination_version, s.count]).sort()).toEqual([['v1', v1.requests.length], ['v2', v2.requests.length]].sort())
    expect(series[0]).toMatchObject({
      reporter: 'source',
      source_workload: 'productpage-v1',
      source_workload_namespace: 'shop',
      source_app: 'productpage',
      source_version: 'v1',
      destination_service: 'reviews.shop.svc.cluster.local',
      destination_service_name: 'reviews',
      destination_service_namespace: 'shop',
      destination_app: 'reviews',
      request_protocol: 'http',
      response_code: '200',
      grpc_response_status: '',
      response_flags: '-',
    })
    const bytes = metrics.families().find((f) => f.name === 'istio_request_bytes') as Extract<MetricFamily, { type: 'histogram' }>
    expect(bytes.samples.reduce((sum, sample) => sum + sample.sum, 0)).toBe(40 * 12)
  })

  it('flags a call whose retries ran out on connect failures UF,URX, and counts the retries of the cluster', async () => {
    const clock = new FakeClock()
    const metrics = new MeshMetrics({ identity })
    const port = await refusingPort()
    const m = await mesh({ clock, namespace: 'shop', telemetry: { metrics }, yaml: vs('pay', '  - route: [{ destination: { host: pay } }]\n    retries: { attempts: 2, retryOn: connect-failure }'), endpoints: { pay: [refusing(port)] } })
    const response = await drive(clock, m.fetch('http://pay/'))
    expect(response.status).toBe(503)
    await response.arrayBuffer()
    expect(requests(metrics)).toMatchObject([{ response_code: '503', response_flags: 'UF,URX', count: 1 }])
    const cluster = 'outbound|80||pay.shop.svc.cluster.local'
    expect(clusterStat(metrics, 'upstream_rq_total', cluster)).toBe(3)
    expect(clusterStat(metrics, 'upstream_rq_retry', cluster)).toBe(2)
    expect(clusterStat(metrics, 'upstream_cx_connect_fail', cluster)).toBe(3)
    expect(clusterStat(metrics, 'upstream_rq_retry_limit_exceeded', cluster)).toBe(1)
  })

  it('flags a route timeout UT with 504', async () => {
    const clock = new FakeClock()
    const metrics = new MeshMetrics({ identity })
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({ clock, namespace: 'shop', telemetry: { metrics }, yaml: vs('slow', '  - route: [{ destination: { host: slow } }]\n    timeout: 100ms'), endpoints: { slow: [at(server)] } })
    const pending = m.fetch('http://slow/')
    await server.waitForRequests(1)
    await clock.tick(100)
    await (await pending).arrayBuffer()
    expect(requests(metrics)).toMatchObject([{ response_code: '504', response_flags: 'UT', count: 1 }])
    expect(clusterStat(metrics, 'upstream_rq_timeout', 'outbound|80||slow.shop.svc.cluster.local')).toBe(1)
  })

  it('flags a connection pool overflow UO', async () => {
    const metrics = new MeshMetrics({ identity })
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({
      namespace: 'shop',
      telemetry: { metrics },
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: tight, namespace: shop }
spec:
  host: tight
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } }
`,
      endpoints: { tight: [at(server)] },
    })
    const controller = new AbortController()
    void m.fetch('http://tight/', { signal: controller.signal }).catch(() => undefined)
    void m.fetch('http://tight/', { signal: controller.signal }).catch(() => undefined)
    await server.waitForRequests(1)
    const overflowed = await m.fetch('http://tight/')
    expect(overflowed.status).toBe(503)
    await overflowed.arrayBuffer()
    expect(requests(metrics)).toContainEqual(expect.objectContaining({ response_code: '503', response_flags: 'UO', count: 1 }))
    expect(clusterStat(metrics, 'upstream_rq_pending_overflow', 'outbound|80||tight.shop.svc.cluster.local')).toBe(1)
    controller.abort()
  })

  it('flags an injected delay then abort DI,FI, and a call no route takes NR with an unknown destination', async () => {
    const clock = new FakeClock()
    const metrics = new MeshMetrics({ identity })
    const server = await upstream()
    const m = await mesh({
      clock,
      namespace: 'shop',
      telemetry: { metrics },
      yaml: vs('ratings', '  - match: [{ uri: { prefix: /v1 } }]\n    fault:\n      delay: { fixedDelay: 10ms, percentage: { value: 100 } }\n      abort: { httpStatus: 418, percentage: { value: 100 } }\n    route: [{ destination: { host: ratings } }]'),
      endpoints: { ratings: [at(server)] },
    })
    await (await drive(clock, m.fetch('http://ratings/v1/x'))).arrayBuffer()
    await (await m.fetch('http://ratings/elsewhere')).arrayBuffer()
    expect(requests(metrics)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ response_code: '418', response_flags: 'DI,FI', destination_service: 'ratings.shop.svc.cluster.local', count: 1 }),
        expect.objectContaining({ response_code: '404', response_flags: 'NR', destination_service: 'unknown', count: 1 }),
      ]),
    )
    expect(server.requests).toHaveLength(0)
  })

  it('reports the final gRPC status an HTTP/2 answer sends in its trailers', async () => {
    const metrics = new MeshMetrics({ identity })
    const server = await startH2(answerWithTrailers('', { 'grpc-status': '14' }))
    try {
      const m = await mesh({ telemetry: { metrics }, yaml: serviceEntry('api.example.internal', 8080, 'GRPC', [server.port]) })
      const result = await m.request('http://api.example.internal:8080/shop.Api/Get', { method: 'POST', headers: { 'content-type': 'application/grpc' }, body: 'x' })
      for await (const _ of result.body) void _
      // Counted once the HTTP/2 stream has closed, which follows the last byte read by a few I/O turns.
      await vi.waitFor(() => expect(requests(metrics)).toHaveLength(1))
      expect(requests(metrics)).toMatchObject([{ request_protocol: 'grpc', response_code: '200', grpc_response_status: '14', destination_service: 'api.example.internal' }])
    } finally {
      await server.close()
    }
  })

  it('marks a gRPC call request_protocol grpc with its grpc_response_status', async () => {
    const metrics = new MeshMetrics({ identity })
    const server = await upstream({ fallback: { status: 200, headers: { 'content-type': 'application/grpc', 'grpc-status': '5' } } })
    const m = await mesh({ namespace: 'shop', telemetry: { metrics }, endpoints: { catalog: [at(server)] } })
    await (await m.fetch('http://catalog/shop.Catalog/Get', { method: 'POST', headers: { 'content-type': 'application/grpc' }, body: 'x' })).arrayBuffer()
    expect(requests(metrics)).toMatchObject([{ request_protocol: 'grpc', response_code: '200', grpc_response_status: '5' }])
  })

  it('counts nothing with telemetry: false', async () => {
    const server = await upstream()
    const m = await mesh({ telemetry: false, endpoints: { svc: [at(server)] } })
    await (await m.fetch('http://svc/')).arrayBuffer()
    const admin = await m.listenAdmin({ port: 0 })
    const text = await (await fetch(`${admin.url}/stats/prometheus`)).text()
    await admin.close()
    expect(text).not.toMatch(/^istio_requests_total\{/m)
    expect(text).not.toMatch(/^meshlet_cluster_upstream_rq_total\{/m)

    const counted = await mesh({ endpoints: { svc: [at(server)] } })
    await (await counted.fetch('http://svc/')).arrayBuffer()
    const countedAdmin = await counted.listenAdmin({ port: 0 })
    const countedText = await (await fetch(`${countedAdmin.url}/stats/prometheus`)).text()
    await countedAdmin.close()
    expect(countedText).toMatch(/^istio_requests_total\{.*\} 1$/m)
  })

  it('exports the same numbers through an OpenTelemetry meter provider', async () => {
    const meter = otelMeter()
    const metrics = new MeshMetrics({ identity })
    const server = await upstream()
    const m = await mesh({ namespace: 'shop', telemetry: { metrics, meterProvider: meter.meterProvider }, endpoints: { svc: [at(server, { version: 'v3' })] } })
    for (let i = 0; i < 3; i++) await (await m.fetch('http://svc/')).arrayBuffer()
    const points = await meter.points('istio_requests_total')
    expect(points).toEqual([[expect.objectContaining({ destination_version: 'v3', response_code: '200', reporter: 'source' }), 3]])
    await m.close()
    await meter.shutdown()
  })
})
