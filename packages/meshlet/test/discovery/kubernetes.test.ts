import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMesh } from 'meshlet'
import { isMeshError } from '@meshlet/core'
import type { DiscoveryDegradedEvent, DiscoveryRecoveredEvent, Mesh, MeshConfigError } from 'meshlet'
import { FakeCluster, istioObject } from '@meshlet/testing'
import { FAST_RECONNECT, answersSince, eventually, sleep, startTraffic, temporaryFolder } from './support.js'
import type { Traffic } from './support.js'

const URL = 'http://reviews:9080/reviews/1'

const destinationRule = istioObject('DestinationRule', 'shop', 'reviews', {
  host: 'reviews',
  subsets: [
    { name: 'v1', labels: { version: 'v1' } },
    { name: 'v2', labels: { version: 'v2' } },
  ],
})
const routeTo = (subset: string, weight?: number) =>
  istioObject('VirtualService', 'shop', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset }, ...(weight === undefined ? {} : { weight }) }] }] })

let cluster: FakeCluster
let folder: { path: string; cleanup: () => void }
let kubeconfig: string
let mesh: Mesh | undefined
let traffic: Traffic | undefined

beforeEach(async () => {
  cluster = await FakeCluster.start({ api: { bookmarkIntervalMs: 200 } })
  folder = temporaryFolder()
  kubeconfig = cluster.api.writeKubeconfig(`${folder.path}/config`)
  cluster.addService('shop', 'reviews', { app: 'reviews' }, { port: 9080 })
})

afterEach(async () => {
  await traffic?.stop()
  traffic = undefined
  await mesh?.close()
  mesh = undefined
  await cluster.close()
  folder.cleanup()
})

async function kubernetesMesh(): Promise<Mesh> {
  mesh = await createMesh({ namespace: 'shop', kubernetes: { kubeconfig, syncTimeoutMs: 5_000, reconnect: FAST_RECONNECT } })
  return mesh
}

describe('createMesh({ kubernetes }) against a Kubernetes API server', () => {
  it('sees the real pods on its first request, each on its own address', async () => {
    await cluster.startPod('shop', 'reviews-1', { app: 'reviews', version: 'v1' })
    await cluster.startPod('shop', 'reviews-2', { app: 'reviews', version: 'v2' })
    const running = await kubernetesMesh()
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const response = await running.fetch(URL)
      expect(response.status).toBe(200)
      seen.add(response.headers.get('x-upstream')!)
      await response.arrayBuffer()
    }
    expect([...seen].sort()).toEqual(['reviews-1', 'reviews-2'])
  })

  it('scales up and down under traffic with no failed request: a new pod gets traffic within 1 s, a pod going away is drained first', async () => {
    const first = await cluster.startPod('shop', 'reviews-1', { app: 'reviews', version: 'v1' })
    await cluster.startPod('shop', 'reviews-2', { app: 'reviews', version: 'v1' })
    traffic = startTraffic(await kubernetesMesh(), URL)
    await traffic.waitForAnswers(20)

    const scaledUpAt = Date.now()
    await cluster.startPod('shop', 'reviews-3', { app: 'reviews', version: 'v1' })
    expect((await traffic.waitFor('reviews-3', scaledUpAt)) - scaledUpAt).toBeLessThan(1_000)

    // Scale down reviews-1 as Kubernetes does: not ready, then terminating, then deleted.
    const drainedAt = Date.now()
    cluster.setReady(first, false)
    await sleep(300)
    cluster.terminate(first)
    await sleep(300)
    await cluster.deletePod(first)
    await traffic.waitForAnswers(50)
    await traffic.stop()

    expect(traffic.failures).toEqual([])
    const afterDrain = answersSince(traffic, drainedAt + 200)
    expect(afterDrain['reviews-1']).toBeUndefined()
    expect(afterDrain['reviews-2']).toBeGreaterThan(0)
    expect(afterDrain['reviews-3']).toBeGreaterThan(0)
  })

  it('moves traffic within 1 s when a VirtualService is edited in the API', async () => {
    await cluster.startPod('shop', 'reviews-v1', { app: 'reviews', version: 'v1' })
    await cluster.startPod('shop', 'reviews-v2', { app: 'reviews', version: 'v2' })
    cluster.api.apply(destinationRule)
    cluster.api.apply(routeTo('v1'))
    traffic = startTraffic(await kubernetesMesh(), URL)
    await traffic.waitForAnswers(20)
    expect(Object.keys(answersSince(traffic, 0))).toEqual(['reviews-v1'])

    const editedAt = Date.now()
    cluster.api.apply(routeTo('v2'))
    expect((await traffic.waitFor('reviews-v2', editedAt)) - editedAt).toBeLessThan(1_000)
    await sleep(200)
    const settled = Date.now()
    await traffic.waitForAnswers(20)
    expect(Object.keys(answersSince(traffic, settled))).toEqual(['reviews-v2'])
    expect(traffic.failures).toEqual([])
  })

  it('rejects an invalid VirtualService like a bad file: the last good rules stay, configRejected names it', async () => {
    await cluster.startPod('shop', 'reviews-v1', { app: 'reviews', version: 'v1' })
    await cluster.startPod('shop', 'reviews-v2', { app: 'reviews', version: 'v2' })
    cluster.api.apply(destinationRule)
    cluster.api.apply(routeTo('v1'))
    const running = await kubernetesMesh()
    const rejected: MeshConfigError[] = []
    running.on('configRejected', (error) => rejected.push(error))
    traffic = startTraffic(running, URL)

    cluster.api.apply(routeTo('v2', -5))
    await eventually(() => expect(rejected).toHaveLength(1))
    const problem = rejected[0]!.diagnostics.find((diagnostic) => diagnostic.severity === 'error')!
    expect(problem).toMatchObject({ file: 'kubernetes:/apis/networking.istio.io/v1/namespaces/shop/virtualservices/reviews', resource: { kind: 'VirtualService', namespace: 'shop', name: 'reviews' }, path: ['spec', 'http', 0, 'route', 0, 'weight'] })
    expect(rejected[0]!.message).toContain('kubernetes:/apis/networking.istio.io/v1/namespaces/shop/virtualservices/reviews  VirtualService shop/reviews  spec.http[0].route[0].weight:')

    const afterRejection = Date.now()
    await traffic.waitForAnswers(20)
    expect(Object.keys(answersSince(traffic, afterRejection))).toEqual(['reviews-v1'])
    expect(traffic.failures).toEqual([])
  })

  it('misses no change across a dropped watch, a 410 and five seconds without API server, failing no request', async () => {
    await cluster.startPod('shop', 'reviews-v1', { app: 'reviews', version: 'v1' })
    await cluster.startPod('shop', 'reviews-v2', { app: 'reviews', version: 'v2' })
    cluster.api.apply(destinationRule)
    cluster.api.apply(routeTo('v1'))
    const running = await kubernetesMesh()
    const degraded: DiscoveryDegradedEvent[] = []
    const recovered: DiscoveryRecoveredEvent[] = []
    running.on('discoveryDegraded', (event) => degraded.push(event))
    running.on('discoveryRecovered', (event) => recovered.push(event))
    traffic = startTraffic(running, URL)
    await traffic.waitForAnswers(20)

    // 1. Every watch connection breaks; a change follows at once.
    cluster.api.dropWatches()
    let changedAt = Date.now()
    cluster.api.apply(routeTo('v2'))
    await traffic.waitFor('reviews-v2', changedAt)

    // 2. History compacted and every watch told 410 Gone: relist, then a change.
    cluster.api.compact()
    cluster.api.expireWatches()
    changedAt = Date.now()
    cluster.api.apply(routeTo('v1'))
    await traffic.waitFor('reviews-v1', changedAt)

    // 3. The API server is down for five seconds; the cluster changes meanwhile.
    const degradedBefore = degraded.length
    const recoveredBefore = recovered.length
    await cluster.api.stop()
    await eventually(() => expect(degraded.length).toBeGreaterThan(degradedBefore))
    const newPod = await cluster.startPod('shop', 'reviews-v1-new', { app: 'reviews', version: 'v1' })
    await sleep(5_000)
    expect(answersSince(traffic, Date.now() - 1_000)['reviews-v1-new']).toBeUndefined()
    changedAt = Date.now()
    await cluster.api.restart()
    await traffic.waitFor(newPod.name, changedAt, 10_000)
    await eventually(() => expect(recovered.length).toBeGreaterThan(recoveredBefore), 10_000)

    await traffic.stop()
    expect(traffic.failures).toEqual([])
    expect(degraded[degradedBefore]).toMatchObject({ source: 'kubernetes', breakerOpen: false })
    expect(isMeshError(degraded[degradedBefore]!.error, 'MESHLET_ERR_DISCOVERY_UNREACHABLE')).toBe(true)
    expect(recovered[recoveredBefore]!.downMs).toBeGreaterThanOrEqual(4_900)
  })

  it('takes endpoint changes in place: no recompile, and an ejected endpoint stays ejected when another pod arrives', async () => {
    const failing = await cluster.startPod('shop', 'reviews-bad', { app: 'reviews', version: 'v1' })
    await cluster.startPod('shop', 'reviews-good', { app: 'reviews', version: 'v1' })
    cluster.api.apply(istioObject('DestinationRule', 'shop', 'reviews', { host: 'reviews', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '60s', maxEjectionPercent: 100 } } }))
    failing.upstream.script(...Array.from({ length: 20 }, () => ({ status: 503 })))
    const running = await kubernetesMesh()
    const generation = running.snapshot.generation
    let reloads = 0
    running.on('configReloaded', () => (reloads += 1))
    const ejected: string[] = []
    running.on('endpointEjected', (event) => ejected.push(event.endpoint))
    for (let i = 0; i < 10 && ejected.length === 0; i++) await (await running.fetch(URL)).arrayBuffer()
    expect(ejected).toEqual([`${failing.address}:${cluster.port}`])

    const scaledAt = Date.now()
    await cluster.startPod('shop', 'reviews-new', { app: 'reviews', version: 'v1' })
    traffic = startTraffic(running, URL)
    await traffic.waitFor('reviews-new', scaledAt)
    await traffic.waitForAnswers(30)
    await traffic.stop()
    expect(answersSince(traffic, scaledAt)['reviews-bad']).toBeUndefined()
    expect(running.snapshot.generation).toBe(generation)
    expect(reloads).toBe(0)
  })

  it('knows Service hosts like a ServiceEntry: aliases resolve and explain names the Service', async () => {
    await cluster.startPod('shop', 'reviews-1', { app: 'reviews', version: 'v1' })
    const running = await kubernetesMesh()
    for (const url of ['http://reviews:9080/', 'http://reviews.shop:9080/', 'http://reviews.shop.svc:9080/', 'http://reviews.shop.svc.cluster.local:9080/']) {
      const response = await running.fetch(url)
      expect(response.headers.get('x-upstream')).toBe('reviews-1')
      await response.arrayBuffer()
    }
    expect(running.explain({ method: 'GET', url: 'http://reviews.shop:9080/' }).host).toBe('reviews.shop.svc.cluster.local')
  })

  it('fails createMesh with the permission to grant when the account may not list a kind', async () => {
    cluster.api.forbid({ resource: 'pods', verb: 'list' })
    const failure = await createMesh({ namespace: 'shop', kubernetes: { kubeconfig, syncTimeoutMs: 5_000 } }).then(
      (created) => created.close(),
      (error: unknown) => error,
    )
    expect(isMeshError(failure, 'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED')).toBe(true)
    expect((failure as Error).message).toMatch(/may not list pods in all namespaces \(403 Forbidden/)
  })

  it('fails createMesh like a bad file when the cluster holds an invalid rule at start', async () => {
    cluster.api.apply(routeTo('v1', -1))
    const failure = await createMesh({ namespace: 'shop', kubernetes: { kubeconfig, syncTimeoutMs: 5_000 } }).then(
      (created) => created.close(),
      (error: unknown) => error,
    )
    expect(isMeshError(failure, 'MESHLET_ERR_CONFIG_INVALID')).toBe(true)
    expect((failure as Error).message).toContain('kubernetes:/apis/networking.istio.io/v1/namespaces/shop/virtualservices/reviews  VirtualService shop/reviews')
  })
})
