import { describe, expect, it } from 'vitest'
import type { MeshEndpoint } from '@meshlet/core'
import { endpointSliceObject } from '@meshlet/testing'
import type { KubeObject } from '../informer/object.js'
import { parseSlice } from './endpoint-slices.js'
import { ServiceEndpoints } from './service-endpoints.js'
import { serviceDeclaration } from './service.js'

const HOST = 'reviews.shop.svc.cluster.local'

function setup() {
  const published = new Map<string, ReadonlyMap<number, readonly MeshEndpoint[]> | undefined>()
  const calls: string[] = []
  const endpoints = new ServiceEndpoints({
    setEndpoints(host, byPort) {
      calls.push(host)
      published.set(host, byPort)
    },
  })
  const service = serviceDeclaration(
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 9080 }, { name: 'grpc', port: 9090, appProtocol: 'grpc' }] } },
    'cluster.local',
    'kubernetes:/api/v1/namespaces/shop/services/reviews',
  )
  endpoints.setService('shop/reviews', service)
  return { endpoints, published, calls }
}

const slice = (endpoints: Parameters<typeof endpointSliceObject>[4], name = 'reviews-a') =>
  parseSlice(endpointSliceObject('shop', name, 'reviews', [{ name: 'http', port: 8080 }, { name: 'grpc', port: 8090 }], endpoints) as KubeObject)!

describe('ServiceEndpoints', () => {
  it('publishes each service port with the slice port of the same name, and pod labels as endpoint labels', () => {
    const { endpoints, published } = setup()
    endpoints.setPod('shop/reviews-1', { app: 'reviews', version: 'v2' })
    endpoints.upsertSlice(slice([{ address: '10.0.0.7', podName: 'reviews-1' }]))
    endpoints.flush()
    const byPort = published.get(HOST)!
    expect(byPort.get(9080)).toMatchObject([{ id: '10.0.0.7:8080', port: 8080, labels: { app: 'reviews', version: 'v2' }, weight: 1 }])
    expect(byPort.get(9090)).toMatchObject([{ id: '10.0.0.7:8090' }])
  })

  it('leaves out endpoints that are not ready or are terminating', () => {
    const { endpoints, published } = setup()
    endpoints.upsertSlice(
      slice([
        { address: '10.0.0.1' },
        { address: '10.0.0.2', ready: false },
        { address: '10.0.0.3', ready: false, serving: true, terminating: true },
      ]),
    )
    endpoints.flush()
    expect(published.get(HOST)!.get(9080)!.map((e) => e.address)).toEqual(['10.0.0.1'])
  })

  it('locates endpoints from node labels, the slice zone, or the pod istio-locality label, and adds topology labels', () => {
    const { endpoints, published } = setup()
    endpoints.setNode('node-a', { region: 'eu-west1', zone: 'eu-west1-b', subzone: undefined })
    endpoints.setPod('shop/p2', { 'istio-locality': 'us.us-east1.rack7' })
    endpoints.upsertSlice(slice([{ address: '10.0.0.1', nodeName: 'node-a' }, { address: '10.0.0.2', podName: 'p2' }, { address: '10.0.0.3', zone: 'z9' }]))
    endpoints.flush()
    const list = published.get(HOST)!.get(9080)!
    expect(list.map((e) => e.locality)).toEqual(['eu-west1/eu-west1-b', 'us/us-east1/rack7', '/z9'])
    expect(list[0]!.labels).toMatchObject({ 'topology.kubernetes.io/region': 'eu-west1', 'topology.kubernetes.io/zone': 'eu-west1-b' })
  })

  it('keeps the published list object when a change leaves the endpoints the same', () => {
    const { endpoints, published, calls } = setup()
    endpoints.upsertSlice(slice([{ address: '10.0.0.1', podName: 'p1' }]))
    endpoints.flush()
    const before = published.get(HOST)!.get(9080)
    endpoints.setPod('shop/p1', {})
    endpoints.flush()
    expect(calls).toHaveLength(1)
    expect(published.get(HOST)!.get(9080)).toBe(before)
  })

  it('keeps the objects of unchanged endpoints when another endpoint of the slice changes', () => {
    const { endpoints, published } = setup()
    endpoints.upsertSlice(slice([{ address: '10.0.0.1' }]))
    endpoints.flush()
    const first = published.get(HOST)!.get(9080)![0]
    endpoints.upsertSlice(slice([{ address: '10.0.0.1' }, { address: '10.0.0.2' }]))
    endpoints.flush()
    const after = published.get(HOST)!.get(9080)!
    expect(after.map((e) => e.address)).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(after[0]).toBe(first)
  })

  it('rebuilds only when a pod label really changed, and then relabels its endpoints', () => {
    const { endpoints, published, calls } = setup()
    endpoints.setPod('shop/p1', { version: 'v1' })
    endpoints.upsertSlice(slice([{ address: '10.0.0.1', podName: 'p1' }]))
    endpoints.flush()
    endpoints.setPod('shop/p1', { version: 'v1' })
    endpoints.flush()
    expect(calls).toHaveLength(1)
    endpoints.setPod('shop/p1', { version: 'v2' })
    endpoints.flush()
    expect(published.get(HOST)!.get(9080)![0]!.labels).toEqual({ version: 'v2' })
  })

  it('merges several slices of one service, listing an endpoint present in two of them once', () => {
    const { endpoints, published } = setup()
    endpoints.upsertSlice(slice([{ address: '10.0.0.1' }, { address: '10.0.0.2' }], 'reviews-a'))
    endpoints.upsertSlice(slice([{ address: '10.0.0.2' }, { address: '10.0.0.3' }], 'reviews-b'))
    endpoints.flush()
    expect(published.get(HOST)!.get(9080)!.map((e) => e.address)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3'])
    endpoints.removeSlice('shop/reviews-a')
    endpoints.flush()
    expect(published.get(HOST)!.get(9080)!.map((e) => e.address)).toEqual(['10.0.0.2', '10.0.0.3'])
  })

  it('waits for the Service before publishing, and withdraws the endpoints when it is deleted', () => {
    const published = new Map<string, unknown>()
    const endpoints = new ServiceEndpoints({ setEndpoints: (host, byPort) => published.set(host, byPort) })
    endpoints.upsertSlice(slice([{ address: '10.0.0.1' }]))
    endpoints.flush()
    expect(published.size).toBe(0)
    endpoints.setService('shop/reviews', serviceDeclaration({ metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 9080 }] } }, 'cluster.local', 'x'))
    endpoints.flush()
    expect(published.get(HOST)).toBeDefined()
    endpoints.setService('shop/reviews', undefined)
    endpoints.flush()
    expect(published.get(HOST)).toBeUndefined()
    expect(published.has(HOST)).toBe(true)
  })
})
