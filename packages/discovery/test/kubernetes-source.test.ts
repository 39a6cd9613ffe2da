import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isMeshError, seededRandom, systemClock } from '@meshlet/core'
import type { Clock } from '@meshlet/core'
import { FakeClock, FakeKubernetesApiServer, SERVED_RESOURCES, endpointSliceObject, istioObject, nodeObject, podObject, serviceObject } from '@meshlet/testing'
import { DiscoveredState, KubernetesSource } from '../src/index.js'
import type { KubernetesOptions } from '../src/index.js'
import { eventually, kubeconfigFor, recordingReporter } from './helpers.js'

const HOST = 'reviews.shop.svc.cluster.local'
const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200, breakerThreshold: 50, breakerOpenMs: 1_000, stableAfterMs: 500 }

let api: FakeKubernetesApiServer
let kubeconfig: { path: string; cleanup: () => void }
let sources: KubernetesSource[] = []

beforeEach(async () => {
  api = await FakeKubernetesApiServer.start({ bookmarkIntervalMs: 100 })
  kubeconfig = kubeconfigFor(api)
  api.apply(nodeObject('node-a', { 'topology.kubernetes.io/region': 'eu-west1', 'topology.kubernetes.io/zone': 'eu-west1-b' }))
  api.apply(serviceObject('shop', 'reviews', [{ name: 'http', port: 9080, targetPort: 'http' }], { app: 'reviews' }))
  api.apply(podObject('shop', 'reviews-1', { app: 'reviews', version: 'v1' }, '10.0.0.1', 'node-a'))
  api.apply(podObject('shop', 'reviews-2', { app: 'reviews', version: 'v2' }, '10.0.0.2', 'node-a'))
  api.apply(
    endpointSliceObject('shop', 'reviews-a', 'reviews', [{ name: 'http', port: 8080 }], [
      { address: '10.0.0.1', podName: 'reviews-1', nodeName: 'node-a' },
      { address: '10.0.0.2', podName: 'reviews-2', nodeName: 'node-a' },
    ]),
  )
  api.apply(istioObject('VirtualService', 'shop', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] }))
})

afterEach(async () => {
  await Promise.all(sources.map((source) => source.close()))
  sources = []
  await api.close()
  kubeconfig.cleanup()
})

function source(options: Partial<KubernetesOptions> = {}, clock: Clock = systemClock) {
  const state = new DiscoveredState()
  const recorded = recordingReporter()
  const created = new KubernetesSource({
    options: { kubeconfig: kubeconfig.path, reconnect: FAST_RECONNECT, watchTimeoutSeconds: 30, ...options },
    sink: state,
    reporter: recorded.reporter,
    clock,
    random: seededRandom(7),
    domain: 'cluster.local',
  })
  sources.push(created)
  return { source: created, state, ...recorded }
}

const addresses = (state: DiscoveredState) => state.endpointsOf(HOST, 9080)?.map((endpoint) => endpoint.address)

describe('the Kubernetes source', () => {
  it('resolves start after the first full sync: services as hosts, endpoints labelled from pods and located from nodes, Istio rules', async () => {
    const { source: kubernetes, state } = source()
    await kubernetes.start()
    expect(state.services().map((service) => service.host)).toEqual([HOST])
    expect(state.services()[0]!.ports).toEqual([{ number: 9080, name: 'http', protocol: 'HTTP', targetPort: undefined }])
    expect(state.endpointsOf(HOST, 9080)).toMatchObject([
      { id: '10.0.0.1:8080', labels: { app: 'reviews', version: 'v1', 'topology.kubernetes.io/region': 'eu-west1' }, locality: 'eu-west1/eu-west1-b' },
      { id: '10.0.0.2:8080', labels: { version: 'v2' } },
    ])
    expect(state.rules().map((rule) => rule.origin)).toEqual(['kubernetes:/apis/networking.istio.io/v1/namespaces/shop/virtualservices/reviews'])
  })

  it('reads pods and nodes as PartialObjectMetadata only, and watches with bookmarks and a timeout', async () => {
    const { source: kubernetes } = source()
    await kubernetes.start()
    const pods = api.requests.filter((request) => request.path === '/api/v1/pods')
    expect(pods.find((request) => !request.watch)?.accept).toContain('as=PartialObjectMetadataList;g=meta.k8s.io;v=v1')
    await eventually(() => expect(api.requests.find((request) => request.path === '/api/v1/pods' && request.watch)).toBeDefined())
    const watch = api.requests.find((request) => request.path === '/api/v1/pods' && request.watch)!
    expect(watch.accept).toContain('as=PartialObjectMetadata;g=meta.k8s.io;v=v1')
    expect(watch.query.get('allowWatchBookmarks')).toBe('true')
    expect(Number(watch.query.get('timeoutSeconds'))).toBeGreaterThanOrEqual(30)
    expect(watch.query.get('resourceVersion')).toMatch(/^\d+$/)
  })

  it('drops an endpoint that goes not ready, and a new ready pod appears, publishing a new list for that host only', async () => {
    api.apply(serviceObject('shop', 'ratings', [{ name: 'http', port: 9080 }], { app: 'ratings' }))
    api.apply(endpointSliceObject('shop', 'ratings-a', 'ratings', [{ name: 'http', port: 9080 }], [{ address: '10.0.1.1' }]))
    const { source: kubernetes, state } = source()
    await kubernetes.start()
    const ratings = state.endpointsOf('ratings.shop.svc.cluster.local', 9080)
    api.apply(
      endpointSliceObject('shop', 'reviews-a', 'reviews', [{ name: 'http', port: 8080 }], [
        { address: '10.0.0.1', podName: 'reviews-1', ready: false },
        { address: '10.0.0.2', podName: 'reviews-2' },
        { address: '10.0.0.3', podName: 'reviews-3' },
      ]),
    )
    await eventually(() => expect(addresses(state)).toEqual(['10.0.0.2', '10.0.0.3']))
    expect(state.endpointsOf('ratings.shop.svc.cluster.local', 9080)).toBe(ratings)
  })

  it('relabels endpoints when their pod labels change', async () => {
    const { source: kubernetes, state } = source()
    await kubernetes.start()
    api.apply(podObject('shop', 'reviews-1', { app: 'reviews', version: 'v3' }, '10.0.0.1', 'node-a'))
    await eventually(() => expect(state.endpointsOf(HOST, 9080)![0]!.labels.version).toBe('v3'))
  })

  it('follows Istio resources: an edit replaces the rule document, a delete removes it', async () => {
    const { source: kubernetes, state } = source()
    await kubernetes.start()
    api.apply(istioObject('VirtualService', 'shop', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] }))
    await eventually(() => expect(JSON.stringify(state.rules()[0]!.object)).toContain('"subset":"v2"'))
    api.remove('networking.istio.io/v1', 'VirtualService', 'shop', 'reviews')
    await eventually(() => expect(state.rules()).toEqual([]))
  })

  it('reads only the namespaces it is given', async () => {
    api.apply(serviceObject('other', 'reviews', [{ name: 'http', port: 9080 }]))
    const { source: kubernetes, state } = source({ namespaces: ['shop'] })
    await kubernetes.start()
    expect(state.services().map((service) => service.host)).toEqual([HOST])
    expect(api.requests.some((request) => request.path === '/api/v1/namespaces/shop/services')).toBe(true)
  })

  it('relists after 410 Gone and applies exactly what it missed, deletions included', async () => {
    const { source: kubernetes, state } = source()
    await kubernetes.start()
    await eventually(() => expect(api.openWatches).toBeGreaterThanOrEqual(6))
    await api.stop()
    // While the API server is away, the cluster changes and its history is compacted.
    api.apply(endpointSliceObject('shop', 'reviews-a', 'reviews', [{ name: 'http', port: 8080 }], [{ address: '10.0.0.9', podName: 'reviews-9' }]))
    api.remove('networking.istio.io/v1', 'VirtualService', 'shop', 'reviews')
    api.compact()
    await api.restart()
    await eventually(() => {
      expect(addresses(state)).toEqual(['10.0.0.9'])
      expect(state.rules()).toEqual([])
    })
    const relists = api.requests.filter((request) => request.path === '/apis/discovery.k8s.io/v1/endpointslices' && !request.watch)
    expect(relists.length).toBeGreaterThanOrEqual(2)
  })

  it('relists when an open watch ends with a 410 ERROR event', async () => {
    const { source: kubernetes, state } = source()
    await kubernetes.start()
    await eventually(() => expect(api.openWatches).toBeGreaterThanOrEqual(6))
    const listsBefore = api.requests.filter((request) => !request.watch).length
    api.expireWatches()
    await eventually(() => expect(api.requests.filter((request) => !request.watch).length).toBeGreaterThan(listsBefore))
    api.apply(endpointSliceObject('shop', 'reviews-a', 'reviews', [{ name: 'http', port: 8080 }], [{ address: '10.0.0.5' }]))
    await eventually(() => expect(addresses(state)).toEqual(['10.0.0.5']))
  })

  it('resumes a dropped watch from its last resourceVersion, missing nothing, and reports degraded then recovered', async () => {
    const { source: kubernetes, state, degraded, recovered } = source()
    await kubernetes.start()
    await eventually(() => expect(api.openWatches).toBeGreaterThanOrEqual(6))
    await api.stop()
    api.apply(endpointSliceObject('shop', 'reviews-a', 'reviews', [{ name: 'http', port: 8080 }], [{ address: '10.0.0.4' }]))
    await eventually(() => expect(degraded.length).toBeGreaterThan(0))
    expect(addresses(state)).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(isMeshError(degraded[0]!.error, 'MESHLET_ERR_DISCOVERY_UNREACHABLE')).toBe(true)
    await api.restart()
    await eventually(() => expect(addresses(state)).toEqual(['10.0.0.4']))
    await eventually(() => expect(recovered).toHaveLength(1))
    expect(degraded).toHaveLength(1)
    // The endpoint slices were watched again from where they were, not listed again.
    const sliceLists = api.requests.filter((request) => request.path === '/apis/discovery.k8s.io/v1/endpointslices' && !request.watch)
    expect(sliceLists).toHaveLength(1)
  })

  it('waits the Retry-After of a 429 on its own clock before asking again', async () => {
    const clock = new FakeClock()
    api.throttleNext(1, 7)
    const { source: kubernetes } = source({ rules: false, nodes: false }, clock)
    const started = kubernetes.start()
    started.catch(() => undefined)
    const lists = () => api.requests.filter((request) => !request.watch).length
    // Services, slices and pods are listed once each; one of them was answered 429.
    await eventually(() => expect(lists()).toBe(3))
    await eventually(() => expect(clock.pendingTimers).toBeGreaterThanOrEqual(1))
    clock.advance(6_999)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(lists()).toBe(3)
    clock.advance(1)
    await started
    expect(lists()).toBe(4)
  })

  it('fails start with the resource and the permission to grant when the API server answers 403', async () => {
    api.forbid({ resource: 'endpointslices', verb: 'list' })
    const { source: kubernetes } = source()
    const failure = await kubernetes.start().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isMeshError(failure, 'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED')).toBe(true)
    expect((failure as Error).message).toMatch(/may not list endpointslices\.discovery\.k8s\.io in all namespaces \(403 Forbidden: .*cannot list resource "endpointslices"/)
    expect((failure as Error).message).toMatch(/Grant get, list and watch on "endpointslices" in apiGroup "discovery\.k8s\.io" in every namespace \(a ClusterRole\), or set kubernetes\.namespaces/)
  })

  it('fails start with 401 when the token is refused', async () => {
    const wrong = kubeconfigFor(api, { token: 'wrong' })
    try {
      const { source: kubernetes } = source({ kubeconfig: wrong.path })
      await expect(kubernetes.start()).rejects.toThrow(/rejected the credentials of context "fake" .* \(401 Unauthorized\)/)
    } finally {
      wrong.cleanup()
    }
  })

  it('gives up after syncTimeoutMs when the API server cannot be reached, saying so', async () => {
    await api.stop()
    const { source: kubernetes } = source({ syncTimeoutMs: 300 })
    const failure = await kubernetes.start().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isMeshError(failure, 'MESHLET_ERR_DISCOVERY_UNREACHABLE')).toBe(true)
    expect((failure as Error).message).toMatch(/kubernetes: unreachable for 300 ms, no first sync/)
    expect((failure as Error).message).toMatch(/ECONNREFUSED/)
  })

  it('reads Istio resources at the newest version the server serves', async () => {
    const { source: kubernetes, state } = source()
    await kubernetes.start()
    expect(api.requests.some((request) => request.path === '/apis/networking.istio.io/v1/virtualservices')).toBe(true)
    expect((state.rules()[0]!.object as { apiVersion: string }).apiVersion).toBe('networking.istio.io/v1')
  })
})

describe('the Kubernetes source, at scale and when the API server flaps', () => {
  it('lists page by page (500 objects a page) and keeps every object', async () => {
    for (let i = 0; i < 1_203; i++) api.apply(podObject('shop', `extra-${i}`, { app: 'extra' }, `10.1.${Math.floor(i / 250)}.${i % 250}`))
    const { source: kubernetes } = source({ rules: false, nodes: false })
    await kubernetes.start()
    const podLists = api.requests.filter((request) => request.path === '/api/v1/pods' && !request.watch)
    expect(podLists.map((request) => request.query.get('continue') !== null)).toEqual([false, true, true])
    expect(podLists.every((request) => request.query.get('limit') === '500')).toBe(true)
  })

  it('opens its breaker when the API server keeps dropping connections, says so, and recovers when it stops', async () => {
    const flapping = { initialDelayMs: 10, maxDelayMs: 20, breakerThreshold: 3, breakerOpenMs: 300, stableAfterMs: 5_000 }
    const { source: kubernetes, degraded, recovered } = source({ reconnect: flapping, rules: false, nodes: false })
    await kubernetes.start()
    const drop = setInterval(() => api.dropWatches(), 5)
    try {
      await eventually(() => expect(degraded.some((event) => event.breakerOpen)).toBe(true))
    } finally {
      clearInterval(drop)
    }
    await eventually(() => expect(recovered.length).toBeGreaterThan(0), 5_000)
    expect(degraded[0]!.breakerOpen).toBe(false)
  })
})

describe('the Kubernetes source and the Istio versions a cluster serves', () => {
  it('reads Istio resources at v1beta1 when the cluster does not serve v1 (an older Istio)', async () => {
    const older = await FakeKubernetesApiServer.start({
      resources: SERVED_RESOURCES.map((resource) => (resource.group === 'networking.istio.io' ? { ...resource, versions: ['v1beta1', 'v1alpha3'] } : resource)),
    })
    const config = kubeconfigFor(older)
    try {
      older.apply(istioObject('VirtualService', 'shop', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }, 'v1beta1'))
      const { source: kubernetes, state } = source({ kubeconfig: config.path })
      await kubernetes.start()
      expect(state.rules().map((rule) => rule.origin)).toEqual(['kubernetes:/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/reviews'])
    } finally {
      await Promise.all(sources.splice(0).map((created) => created.close()))
      await older.close()
      config.cleanup()
    }
  })

  it('reads no rules, and fails nothing, when Istio is not installed', async () => {
    const plain = await FakeKubernetesApiServer.start({ resources: SERVED_RESOURCES.filter((resource) => resource.group !== 'networking.istio.io') })
    const config = kubeconfigFor(plain)
    try {
      plain.apply(serviceObject('shop', 'reviews', [{ name: 'http', port: 9080 }]))
      const { source: kubernetes, state, degraded } = source({ kubeconfig: config.path })
      await kubernetes.start()
      expect(state.rules()).toEqual([])
      expect(state.services()).toHaveLength(1)
      expect(degraded).toEqual([])
    } finally {
      await Promise.all(sources.splice(0).map((created) => created.close()))
      await plain.close()
      config.cleanup()
    }
  })
})
