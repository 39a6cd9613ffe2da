import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createMesh } from 'meshlet'
import type { DiscoveryDegradedEvent, DiscoveryRecoveredEvent, Mesh, MeshConfigError } from 'meshlet'
import { isMeshError } from '@meshlet/core'
import { startEtcd, startUpstream } from '@meshlet/testing'
import type { EtcdServer, Upstream } from '@meshlet/testing'
import { FAST_RECONNECT, answersSince, eventually, startTraffic } from './support.js'
import type { Traffic } from './support.js'

const SERVICE_ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.fleet.internal]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 9080, name: http, protocol: HTTP }]
  workloadSelector: { labels: { app: reviews } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews.fleet.internal
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`
const routeTo = (subset: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.fleet.internal]
  http: [{ route: [{ destination: { host: reviews.fleet.internal, subset: ${subset} } }] }]
`
const URL = 'http://reviews.fleet.internal:9080/'

let etcd: EtcdServer
let prefix: string
let count = 0
let instances: Upstream[] = []
let meshes: Mesh[] = []
let traffic: Traffic | undefined

beforeAll(async () => {
  etcd = await startEtcd()
})
afterAll(async () => {
  await etcd?.close()
})
beforeEach(async () => {
  prefix = `/meshlet-mesh-${++count}/`
  await put(`${prefix}config/reviews.yaml`, SERVICE_ENTRY)
  await put(`${prefix}config/route.yaml`, routeTo('v1'))
})
afterEach(async () => {
  await traffic?.stop()
  traffic = undefined
  await Promise.all(meshes.splice(0).map((mesh) => mesh.close()))
  await Promise.all(instances.splice(0).map((instance) => instance.close()))
})

/** A write with the etcd v3 JSON gateway, as an operator's tooling would. */
async function put(key: string, value: string, lease?: string): Promise<void> {
  const response = await fetch(`${etcd.endpoint}/v3/kv/put`, {
    method: 'POST',
    body: JSON.stringify({ key: Buffer.from(key).toString('base64'), value: Buffer.from(value).toString('base64'), ...(lease ? { lease } : {}) }),
  })
  if (!response.ok) throw new Error(`put ${key}: ${response.status} ${await response.text()}`)
}

async function etcdMesh(): Promise<Mesh> {
  const mesh = await createMesh({ namespace: 'shop', etcd: { endpoints: [etcd.endpoint], prefix, reconnect: FAST_RECONNECT, probeIntervalMs: 500, syncTimeoutMs: 5_000 } })
  meshes.push(mesh)
  return mesh
}

/** An instance of the fleet: a server on its own loopback address, all on one port. */
async function instance(name: string, address: string, port = 0): Promise<Upstream> {
  const started = await startUpstream({ name, host: address, port })
  instances.push(started)
  return started
}

describe('createMesh({ etcd }) with the real etcd', () => {
  it('routes by the rules in etcd to instances registered by another mesh, through a ServiceEntry workloadSelector', async () => {
    const v1 = await instance('reviews-v1', '127.0.0.11')
    const client = await etcdMesh()
    const fleet = await etcdMesh()
    await fleet.register({ name: 'reviews-v1', address: '127.0.0.11', port: v1.port, labels: { app: 'reviews', version: 'v1' } })
    const response = await eventually(async () => {
      const answer = await client.fetch(URL)
      await answer.arrayBuffer()
      expect(answer.headers.get('x-upstream')).toBe('reviews-v1')
      return answer
    })
    expect(response.status).toBe(200)
  })

  it('moves traffic when a rule is put in etcd, and removes an instance whose lease expires', async () => {
    const v1 = await instance('reviews-v1', '127.0.0.12')
    const v2 = await instance('reviews-v2', '127.0.0.13', v1.port)
    const client = await etcdMesh()
    const registered = await client.register({ name: 'reviews-v1', address: '127.0.0.12', port: v1.port, labels: { app: 'reviews', version: 'v1' } })
    // v2 registered by hand on a 1 s lease nobody renews: a process that crashed.
    const lease = (await (await fetch(`${etcd.endpoint}/v3/lease/grant`, { method: 'POST', body: JSON.stringify({ TTL: '1' }) })).json()) as { ID: string }
    await put(`${prefix}workloads/shop/reviews-v2`, JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: 'reviews-v2', annotations: { 'meshlet.io/port': String(v2.port) } }, spec: { address: '127.0.0.13', labels: { app: 'reviews', version: 'v2' } } }), lease.ID)
    traffic = startTraffic(client, URL)
    await traffic.waitFor('reviews-v1', 0)

    const movedAt = Date.now()
    await put(`${prefix}config/route.yaml`, routeTo('v2'))
    expect((await traffic.waitFor('reviews-v2', movedAt)) - movedAt).toBeLessThan(1_000)

    // The lease expires: v2 has no endpoint any more, so the route answers 503 no healthy upstream.
    await eventually(() => expect(traffic!.answers.at(-1)?.status).toBe(503), 8_000)
    expect(traffic.answers.at(-1)?.reason).toMatch(/no[_ -]healthy[_ -]upstream/i)
    await traffic.stop()
    await registered.close()
  })

  it('deregisters at once when a registration is closed', async () => {
    const v1 = await instance('reviews-v1', '127.0.0.14')
    const client = await etcdMesh()
    const registration = await client.register({ name: 'reviews-v1', address: '127.0.0.14', port: v1.port, labels: { app: 'reviews', version: 'v1' } })
    await eventually(async () => {
      const answer = await client.fetch(URL)
      await answer.arrayBuffer()
      expect(answer.headers.get('x-upstream')).toBe('reviews-v1')
    })
    const closedAt = Date.now()
    await registration.close()
    const response = await eventually(async () => {
      const answer = await client.fetch(URL)
      await answer.arrayBuffer()
      expect(answer.status).toBe(503)
      return answer
    })
    expect(Date.now() - closedAt).toBeLessThan(1_000)
    expect(response.status).toBe(503)
  })

  it('fails no request while etcd is stopped and restarted under traffic, and reports degraded and recovered', async () => {
    const v1 = await instance('reviews-v1', '127.0.0.15')
    const v1b = await instance('reviews-v1b', '127.0.0.16', v1.port)
    const client = await etcdMesh()
    const degraded: DiscoveryDegradedEvent[] = []
    const recovered: DiscoveryRecoveredEvent[] = []
    client.on('discoveryDegraded', (event) => degraded.push(event))
    client.on('discoveryRecovered', (event) => recovered.push(event))
    await client.register({ name: 'reviews-v1', address: '127.0.0.15', port: v1.port, labels: { app: 'reviews', version: 'v1' } })
    // register() resolves once etcd holds the entry; this mesh's own watch sees it a moment later.
    await eventually(async () => {
      const answer = await client.fetch(URL)
      await answer.arrayBuffer()
      expect(answer.status).toBe(200)
    })
    traffic = startTraffic(client, URL)
    await traffic.waitFor('reviews-v1', 0)

    await etcd.stop()
    await eventually(() => expect(degraded.length).toBeGreaterThan(0))
    await traffic.waitForAnswers(50)
    await etcd.start()
    // A second instance registers once etcd is back; the first registration renewed its lease.
    const second = await createMesh({ namespace: 'shop', etcd: { endpoints: [etcd.endpoint], prefix, syncTimeoutMs: 5_000 } })
    meshes.push(second)
    const registeredAt = Date.now()
    await second.register({ name: 'reviews-v1b', address: '127.0.0.16', port: v1b.port, labels: { app: 'reviews', version: 'v1' } })
    await traffic.waitFor('reviews-v1b', registeredAt, 10_000)
    await eventually(() => expect(recovered.length).toBeGreaterThan(0), 10_000)
    await traffic.stop()

    expect(traffic.failures).toEqual([])
    expect(degraded[0]).toMatchObject({ source: 'etcd' })
    expect(isMeshError(degraded[0]!.error, 'MESHLET_ERR_DISCOVERY_UNREACHABLE')).toBe(true)
    expect(answersSince(traffic, registeredAt)['reviews-v1']).toBeGreaterThan(0)
  })

  it('rejects an invalid WorkloadEntry with its key, line and field, keeping the instances it had', async () => {
    const v1 = await instance('reviews-v1', '127.0.0.17')
    const client = await etcdMesh()
    const rejected: MeshConfigError[] = []
    client.on('configRejected', (error) => rejected.push(error))
    await client.register({ name: 'reviews-v1', address: '127.0.0.17', port: v1.port, labels: { app: 'reviews', version: 'v1' } })
    await put(`${prefix}workloads/shop/broken`, 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: { name: broken }\nspec:\n  address: 127.0.0.99\n  ports: { http: 700000 }\n')
    await eventually(() => expect(rejected).toHaveLength(1))
    expect(rejected[0]!.message).toMatch(new RegExp(`etcd:${prefix}workloads/shop/broken:6:\\d+  WorkloadEntry shop/broken  spec\\.ports\\.http: `))
    const answer = await client.fetch(URL)
    await answer.arrayBuffer()
    expect(answer.headers.get('x-upstream')).toBe('reviews-v1')
  })

  it('says so when register is called without the etcd option', async () => {
    const plain = await createMesh({})
    meshes.push(plain)
    await expect(plain.register({ name: 'a', address: '127.0.0.1', port: 80 })).rejects.toThrow(/mesh\.register needs the etcd option/)
  })

  it('fails createMesh with MESHLET_ERR_DISCOVERY_UNREACHABLE when etcd cannot be reached at start', async () => {
    const failure = await createMesh({ etcd: { endpoints: ['http://127.0.0.1:1'], syncTimeoutMs: 300 } }).then(
      (created) => created.close(),
      (error: unknown) => error,
    )
    expect(isMeshError(failure, 'MESHLET_ERR_DISCOVERY_UNREACHABLE')).toBe(true)
  })
})
