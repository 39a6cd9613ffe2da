import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isMeshError } from '@meshlet/core'
import { MeshMetrics } from '@meshlet/otel'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { listenAdmin } from 'meshlet'
import type { AdminServer, AdminSources, ClusterView, Mesh } from 'meshlet'
import { at, mesh, upstream } from '../helpers.js'

const RULES = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - name: canary
    route:
    - destination: { host: reviews, subset: v1 }
      weight: 75
    - destination: { host: reviews, subset: v2 }
      weight: 25
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`

const servers: AdminServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function admin(m: Mesh, metrics?: MeshMetrics): Promise<AdminServer> {
  const server = await m.listenAdmin({ port: 0, metrics })
  servers.push(server)
  return server
}

async function get(server: AdminServer, path: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(server.url + path)
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() }
}

/** A canary over two loopback upstreams, its calls counted by the mesh's own telemetry into `metrics`. */
async function canary(callCount: number) {
  const [v1, v2] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
  const labels = new Map([[v1.authority, { app: 'reviews', version: 'v1' }], [v2.authority, { app: 'reviews', version: 'v2' }]])
  const metrics = new MeshMetrics({ identity: { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } } })
  const m = await mesh({ telemetry: { metrics }, yaml: RULES, random: seededRandom(3), labels: { app: 'productpage', version: 'v1' }, endpoints: { reviews: [at(v1, labels.get(v1.authority)), at(v2, labels.get(v2.authority))] } })
  for (let i = 0; i < callCount; i++) await (await m.fetch('http://reviews:9080/')).arrayBuffer()
  return { m, metrics, v1, v2 }
}

describe('the admin server', () => {
  it('listens on 127.0.0.1 by default and says LIVE at /ready', async () => {
    const { m } = await canary(0)
    const server = await admin(m)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await get(server, '/ready')).toMatchObject({ status: 200, text: 'LIVE\n' })
  })

  it('refuses an address beyond loopback unless allowNonLoopback is set', async () => {
    const { m } = await canary(0)
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      const refused = await m.listenAdmin({ port: 0, host }).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(isMeshError(refused, 'MESHLET_ERR_ADMIN_BIND_REFUSED'), host).toBe(true)
      expect(String((refused as Error).message)).toMatch(/allowNonLoopback: true/)
    }
  })

  it('answers 503 DRAINING at /ready when its sources are not ready', async () => {
    const sources: AdminSources = {
      snapshot: () => {
        throw new Error('not read')
      },
      clusters: () => [],
      metrics: new MeshMetrics(),
      recentEvents: () => [],
      ready: () => false,
      nowMs: () => 0,
    }
    const server = await listenAdmin(sources, { port: 0 })
    servers.push(server)
    expect(await get(server, '/ready')).toMatchObject({ status: 503, text: 'DRAINING\n' })
  })

  it('serves the recorded calls at /stats/prometheus in the Prometheus text format', async () => {
    const { m, metrics } = await canary(40)
    const server = await admin(m, metrics)
    const { status, type, text } = await get(server, '/stats/prometheus')
    expect(status).toBe(200)
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8')
    const byVersion = (version: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('istio_requests_total{') && line.includes(`destination_version="${version}"`))
        .map((line) => Number(line.split(' ').at(-1)))
        .reduce((sum, value) => sum + value, 0)
    expect(byVersion('v1') + byVersion('v2')).toBe(40)
    expect(byVersion('v2')).toBeGreaterThan(0)
    expect(text).toContain('reporter="source",source_workload="productpage-v1"')
    expect(text).toContain('destination_service="reviews.default.svc.cluster.local"')
    expect(text).toContain('# TYPE istio_request_duration_milliseconds histogram')
    // The cluster gauges come from the data plane's registries at each scrape.
    expect(text).toContain('meshlet_cluster_membership_total{cluster_name="outbound|9080|v1|reviews.default.svc.cluster.local"} 1')
    expect(text).toMatch(/meshlet_cluster_upstream_rq_total\{cluster_name="outbound\|9080\|v2\|reviews\.default\.svc\.cluster\.local"\} \d+/)
  })

  it('lists clusters and endpoints at /clusters as Envoy does, and as JSON with ?format=json', async () => {
    const { m, v1 } = await canary(8)
    const server = await admin(m)
    const text = (await get(server, '/clusters')).text
    const v1Cluster = 'outbound|9080|v1|reviews.default.svc.cluster.local'
    expect(text).toContain(`${v1Cluster}::lb_policy::ROUND_ROBIN\n`)
    expect(text).toContain(`${v1Cluster}::${v1.authority}::health_flags::healthy\n`)
    expect(text).toContain(`${v1Cluster}::${v1.authority}::weight::1\n`)
    expect(text).toContain(`${v1Cluster}::${v1.authority}::labels::app=reviews,version=v1\n`)
    const json = JSON.parse((await get(server, '/clusters?format=json')).text) as { clusters: ClusterView[] }
    expect(json.clusters.map((cluster) => cluster.name)).toEqual([v1Cluster, 'outbound|9080|v2|reviews.default.svc.cluster.local'])
    expect(json.clusters[0]).toMatchObject({ host: 'reviews.default.svc.cluster.local', port: 9080, subset: 'v1', algorithm: 'ROUND_ROBIN', activeRequests: 0 })
    expect(json.clusters[0]!.endpoints).toMatchObject([{ id: v1.authority, health: 'healthy', weight: 1, labels: { version: 'v1' }, activeRequests: 0, priority: 0 }])
  })

  it("shows each endpoint's peak-EWMA cost, higher for the slower endpoint", async () => {
    const clock = new FakeClock()
    // Each answer moves the mesh clock by the endpoint's latency, so the balancer measures it exactly.
    const answering = (latencyMs: number) => (_request: unknown, response: ServerResponse) => {
      clock.advance(latencyMs)
      response.writeHead(200).end('ok')
    }
    const [slow, fast] = await Promise.all([upstream({ fallback: answering(40) }), upstream({ fallback: answering(4) })])
    const m = await mesh({
      clock,
      random: seededRandom(2),
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc
  annotations: { meshlet.io/load-balancer: PEAK_EWMA }
spec:
  host: svc
`,
      endpoints: { svc: [at(slow), at(fast)] },
    })
    for (let i = 0; i < 20; i++) await (await m.fetch('http://svc/')).arrayBuffer()
    const server = await admin(m)
    const { clusters } = JSON.parse((await get(server, '/clusters?format=json')).text) as { clusters: ClusterView[] }
    expect(clusters[0]!.algorithm).toBe('PEAK_EWMA')
    const cost = (id: string) => clusters[0]!.endpoints.find((endpoint) => endpoint.id === id)!.cost!
    expect(cost(fast.authority)).toBeGreaterThan(0)
    expect(cost(slow.authority)).toBeGreaterThan(cost(fast.authority))
    expect((await get(server, '/clusters')).text).toContain(`outbound|80||svc.default.svc.cluster.local::${slow.authority}::load_cost::`)
  })

  it('shows an ejected endpoint with its health flag and the time it has left', async () => {
    const clock = new FakeClock()
    const [bad, good] = await Promise.all([upstream({ name: 'bad', fallback: { status: 503 } }), upstream({ name: 'good' })])
    const m = await mesh({
      clock,
      random: seededRandom(5),
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 1, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 }
`,
      endpoints: { svc: [at(bad), at(good)] },
    })
    const server = await admin(m)
    for (let i = 0; i < 4; i++) await (await m.fetch('http://svc/')).arrayBuffer()
    await clock.tick(12_000)
    const cluster = 'outbound|80||svc.default.svc.cluster.local'
    const text = (await get(server, '/clusters')).text
    expect(text).toContain(`${cluster}::${bad.authority}::health_flags::/failed_outlier_check\n`)
    expect(text).toContain(`${cluster}::${bad.authority}::ejection_time_left_ms::18000\n`)
    expect(text).toContain(`${cluster}::${good.authority}::health_flags::healthy\n`)
    const prometheus = (await get(server, '/stats/prometheus')).text
    expect(prometheus).toContain(`meshlet_cluster_outlier_detection_ejections_active{cluster_name="${cluster}"} 1\n`)
    expect(prometheus).toContain(`meshlet_cluster_membership_healthy{cluster_name="${cluster}"} 1\n`)
    // The page's feed carries the ejection as a recent event.
    const state = JSON.parse((await get(server, '/ui/state.json')).text) as { events: Array<{ kind: string; cluster: string; summary: string }> }
    expect(state.events).toContainEqual(expect.objectContaining({ kind: 'endpointEjected', cluster, summary: expect.stringContaining(`${bad.authority} ejected (consecutive-5xx)`) as unknown }))
  })

  it('dumps the compiled rules with the file and line each came from', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshlet-admin-'))
    try {
      const file = join(dir, 'reviews.yaml')
      await writeFile(file, RULES)
      const v1 = await upstream({ name: 'v1' })
      const m = await mesh({ files: [file], endpoints: { reviews: [at(v1, { version: 'v1' })] } })
      const server = await admin(m)
      const dump = JSON.parse((await get(server, '/config_dump')).text) as {
        generation: number
        configs: Array<{ kind: string; name: string; source: { type: string; file: string; line: number }; resource: { spec: unknown }; compiled: Record<string, unknown> }>
      }
      expect(dump.configs.map((config) => [config.kind, config.name, config.source])).toEqual([
        ['VirtualService', 'reviews', { type: 'file', file, line: 2, column: 1 }],
        ['DestinationRule', 'reviews', { type: 'file', file, line: lineOf(RULES, 'kind: DestinationRule') - 1, column: 1 }],
      ])
      const virtualService = dump.configs[0]!
      expect(virtualService.compiled).toMatchObject({ hosts: ['reviews.default.svc.cluster.local'], routes: [{ name: 'canary', action: { kind: 'route', totalWeight: 100 } }] })
      const destinationRule = dump.configs[1]!
      expect(destinationRule.compiled).toMatchObject({
        host: 'reviews.default.svc.cluster.local',
        trafficPolicy: { loadBalancer: { algorithm: 'ROUND_ROBIN' } },
        subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
      })
      expect(destinationRule.resource.spec).toMatchObject({ host: 'reviews' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('names inline rules by their origin', async () => {
    const { m } = await canary(0)
    const server = await admin(m)
    const dump = JSON.parse((await get(server, '/config_dump')).text) as { configs: Array<{ source: unknown }> }
    expect(dump.configs[0]!.source).toEqual({ type: 'inline', origin: '<yaml>', line: 2, column: 1 })
  })

  it('gives the page configured and observed splits per route, from the metrics', async () => {
    const { m, metrics } = await canary(40)
    const server = await admin(m, metrics)
    const state = JSON.parse((await get(server, '/ui/state.json')).text) as {
      totalCalls: number
      virtualServices: Array<{ name: string; routes: Array<{ name: string; destinations: Array<{ subset: string; version: string; configuredPercent: number; observedPercent: number; observedCalls: number }> }> }>
    }
    expect(state.totalCalls).toBe(40)
    const route = state.virtualServices[0]!.routes[0]!
    expect(state.virtualServices[0]!.name).toBe('default/reviews')
    expect(route.name).toBe('canary')
    expect(route.destinations.map((d) => [d.subset, d.version, d.configuredPercent])).toEqual([['v1', 'v1', 75], ['v2', 'v2', 25]])
    const [first, second] = route.destinations
    expect(first!.observedCalls + second!.observedCalls).toBe(40)
    expect(first!.observedPercent + second!.observedPercent).toBeCloseTo(100, 5)
  })

  it('listens to the mesh events only while it is open', async () => {
    const m = await mesh({ yaml: RULES })
    expect(m.listenerCount('retry')).toBe(0)
    const server = await admin(m)
    expect(m.listenerCount('retry')).toBe(1)
    expect(m.listenerCount('configRejected')).toBe(1)
    await server.close()
    expect(m.listenerCount('retry')).toBe(0)
    expect(m.listenerCount('configRejected')).toBe(0)
  })

  it('reports a rejected reload among the recent events', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshlet-admin-'))
    try {
      const file = join(dir, 'rules.yaml')
      await writeFile(file, RULES)
      const m = await mesh({ files: [file] })
      const server = await admin(m)
      await writeFile(file, RULES.replace('weight: 25', 'weight: -1'))
      expect(await m.reload()).toBe(false)
      const state = JSON.parse((await get(server, '/ui/state.json')).text) as { events: Array<{ kind: string; summary: string }> }
      expect(state.events[0]).toMatchObject({ kind: 'configRejected', summary: expect.stringContaining('config rejected') as unknown })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('says DRAINING while the mesh closes with a call in flight, and closes once the mesh has closed', async () => {
    let release: () => void = () => undefined
    const held = upstream({ name: 'held', answers: [{ status: 200, until: new Promise<void>((resolve) => (release = resolve)) }] })
    const slow = await held
    const m = await mesh({ endpoints: { reviews: [at(slow)] } })
    const server = await admin(m)
    const call = m.fetch('http://reviews:9080/')
    await slow.waitForRequests(1)
    const closed = m.close()
    expect(await get(server, '/ready')).toMatchObject({ status: 503, text: 'DRAINING\n' })
    release()
    await (await call).arrayBuffer()
    await closed
    await new Promise((resolve) => setImmediate(resolve))
    await expect(fetch(server.url + '/ready')).rejects.toThrow()
  })

  it('lists its endpoints on an unknown path and accepts only GET and HEAD', async () => {
    const { m } = await canary(0)
    const server = await admin(m)
    const missing = await get(server, '/nope')
    expect(missing.status).toBe(404)
    expect(missing.text).toContain('/stats/prometheus')
    expect(missing.text).toContain('/config_dump')
    const post = await fetch(server.url + '/ready', { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('serves the page and its script from the package, with no outside origin allowed', async () => {
    const { m } = await canary(0)
    const server = await admin(m)
    const page = await fetch(server.url + '/')
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    const html = await page.text()
    expect(html).toContain('<script src="/ui/admin.js" defer></script>')
    expect(html).not.toMatch(/https?:\/\//)
    expect((await get(server, '/ui/admin.js')).text).toContain("fetch('/ui/state.json'")
  })
})

/** The 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1
}
