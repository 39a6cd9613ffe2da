import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isMeshError, seededRandom, systemClock } from '@meshlet/core'
import { startEtcd } from '@meshlet/testing'
import type { EtcdServer } from '@meshlet/testing'
import { DiscoveredState, EtcdSource, workloadDocument } from '../src/index.js'
import type { EtcdOptions } from '../src/index.js'
import { EtcdGateway } from '../src/etcd/client/gateway.js'
import { eventually, recordingReporter } from './helpers.js'

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200, breakerThreshold: 1_000, breakerOpenMs: 1_000, stableAfterMs: 500 }
const VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.fleet]
  http: [{ route: [{ destination: { host: reviews.fleet } }] }]
`

let etcd: EtcdServer
let client: EtcdGateway
let prefixCount = 0
let prefix: string
const sources: EtcdSource[] = []

beforeAll(async () => {
  etcd = await startEtcd()
  client = new EtcdGateway({ endpoints: [etcd.endpoint] })
})

afterAll(async () => {
  await client?.destroy()
  await etcd?.close()
})

afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.close()))
})

function source(options: Partial<EtcdOptions> = {}) {
  prefix = `/meshlet-test-${++prefixCount}/`
  const state = new DiscoveredState()
  const recorded = recordingReporter()
  const created = new EtcdSource({
    options: { endpoints: [etcd.endpoint], prefix, reconnect: FAST_RECONNECT, probeIntervalMs: 200, ...options },
    sink: state,
    reporter: recorded.reporter,
    clock: systemClock,
    random: seededRandom(3),
  })
  sources.push(created)
  return { source: created, state, ...recorded }
}

const workload = (namespace: string, name: string, address: string, labels: Record<string, string>) => workloadDocument({ name, namespace, address, port: 9080, labels })
const addresses = (state: DiscoveredState, namespace = 'shop') => state.workloadsIn(namespace).list.map((w) => w.address)

describe('the etcd source (real etcd)', () => {
  it('reads rules under config/ and WorkloadEntries under workloads/<namespace>/<name> before start resolves', async () => {
    const { source: etcdSource, state } = source()
    await client.put(`${prefix}config/reviews.yaml`, VIRTUAL_SERVICE)
    await client.put(`${prefix}workloads/shop/reviews-1`, workload('shop', 'reviews-1', '127.0.0.2', { app: 'reviews' }))
    await client.put(`${prefix}unrelated`, 'ignored')
    await etcdSource.start()
    expect(state.rules()).toEqual([{ source: 'etcd', origin: `etcd:${prefix}config/reviews.yaml`, text: VIRTUAL_SERVICE }])
    expect(state.workloadsIn('shop').list).toMatchObject([{ name: 'reviews-1', address: '127.0.0.2', defaultPort: 9080, labels: { app: 'reviews' }, origin: `etcd:${prefix}workloads/shop/reviews-1` }])
  })

  it('follows puts and deletes after start', async () => {
    const { source: etcdSource, state } = source()
    await etcdSource.start()
    await client.put(`${prefix}workloads/shop/a`, workload('shop', 'a', '127.0.0.2', {}))
    await eventually(() => expect(addresses(state)).toEqual(['127.0.0.2']))
    await client.put(`${prefix}workloads/shop/a`, workload('shop', 'a', '127.0.0.3', {}))
    await eventually(() => expect(addresses(state)).toEqual(['127.0.0.3']))
    await client.deleteKey(`${prefix}workloads/shop/a`)
    await eventually(() => expect(addresses(state)).toEqual([]))
  })

  it('keeps the last good version of a workload that turns invalid, and reports the rejection', async () => {
    const { source: etcdSource, state, rejected } = source()
    await client.put(`${prefix}workloads/shop/a`, workload('shop', 'a', '127.0.0.2', {}))
    await etcdSource.start()
    await client.put(`${prefix}workloads/shop/a`, '{"spec": {"ports": {"http": 0}}}')
    await eventually(() => expect(rejected).toHaveLength(1))
    expect(rejected[0]!.error.message).toMatch(/WorkloadEntry shop\/a: spec\.address is required/)
    expect(addresses(state)).toEqual(['127.0.0.2'])
  })

  it('registers an instance on a lease, seen by a source; closing the registration removes it at once', async () => {
    const { source: etcdSource, state } = source()
    await etcdSource.start()
    const registration = await etcdSource.register({ name: 'reviews-7f9c', namespace: 'shop', address: '127.0.0.7', port: 9080, labels: { app: 'reviews', version: 'v2' } })
    expect(registration.key).toBe(`${prefix}workloads/shop/reviews-7f9c`)
    expect(registration.leaseId).toMatch(/^\d+$/)
    await eventually(() => expect(state.workloadsIn('shop').list).toMatchObject([{ address: '127.0.0.7', defaultPort: 9080, labels: { version: 'v2' } }]))
    await registration.close()
    await eventually(() => expect(addresses(state)).toEqual([]))
  })

  it('removes an instance whose lease expires (a crashed process stops renewing)', async () => {
    const { source: etcdSource, state } = source()
    await etcdSource.start()
    const lease = await client.grant(1)
    await client.put(`${prefix}workloads/shop/crashed`, workload('shop', 'crashed', '127.0.0.8', {}), lease.id)
    await eventually(() => expect(addresses(state)).toEqual(['127.0.0.8']))
    await eventually(() => expect(addresses(state)).toEqual([]), 8_000)
  })

  it('rejects an invalid registration with the field to fix', async () => {
    const { source: etcdSource } = source()
    await etcdSource.start()
    await expect(etcdSource.register({ name: 'Bad_Name', namespace: 'shop', address: '127.0.0.1' })).rejects.toThrow(/mesh\.register: name must be a DNS-1123 name/)
  })

  it('keeps what it knows while etcd is down, reports degraded, and catches up when it is back', async () => {
    const { source: etcdSource, state, degraded, recovered } = source()
    await client.put(`${prefix}workloads/shop/a`, workload('shop', 'a', '127.0.0.2', {}))
    await etcdSource.start()
    await etcd.stop()
    await eventually(() => expect(degraded.length).toBeGreaterThan(0))
    expect(isMeshError(degraded[0]!.error, 'MESHLET_ERR_DISCOVERY_UNREACHABLE')).toBe(true)
    expect(addresses(state)).toEqual(['127.0.0.2'])
    await etcd.start()
    await client.put(`${prefix}workloads/shop/b`, workload('shop', 'b', '127.0.0.3', {}))
    await eventually(() => expect(addresses(state)).toEqual(['127.0.0.2', '127.0.0.3']), 10_000)
    await eventually(() => expect(recovered.length).toBeGreaterThan(0))
  })

  it('reads everything again and applies the difference when the revision it resumes from was compacted', async () => {
    // Reconnects wait 1.5–3 s here, so the compaction happens before the source is back.
    const { source: etcdSource, state } = source({ reconnect: { ...FAST_RECONNECT, initialDelayMs: 3_000, maxDelayMs: 3_000 } })
    await client.put(`${prefix}workloads/shop/a`, workload('shop', 'a', '127.0.0.2', {}))
    await etcdSource.start()
    let reads = 0
    const range = etcdSource.gateway.range.bind(etcdSource.gateway)
    etcdSource.gateway.range = (...args) => {
      reads += 1
      return range(...args)
    }
    await etcd.stop()
    await etcd.start()
    // While the source is away: a change, a deletion, then compaction of that history.
    await client.put(`${prefix}workloads/shop/b`, workload('shop', 'b', '127.0.0.3', {}))
    const revision = await client.put(`${prefix}workloads/shop/a`, workload('shop', 'a', '127.0.0.4', {}))
    await client.deleteKey(`${prefix}workloads/shop/a`)
    const compacted = await fetch(`${etcd.endpoint}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision: String(revision + 1), physical: true }) })
    expect(compacted.ok).toBe(true)
    await eventually(() => expect(addresses(state)).toEqual(['127.0.0.3']), 10_000)
    expect(reads).toBeGreaterThanOrEqual(1)
  })

  it('gives up after syncTimeoutMs when etcd cannot be reached, saying so', async () => {
    const { source: etcdSource } = source({ endpoints: ['http://127.0.0.1:1'], syncTimeoutMs: 300 })
    const failure = await etcdSource.start().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isMeshError(failure, 'MESHLET_ERR_DISCOVERY_UNREACHABLE')).toBe(true)
    expect((failure as Error).message).toMatch(/etcd: unreachable for 300 ms, no first sync[\s\S]*cannot reach http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/)
  })
})
