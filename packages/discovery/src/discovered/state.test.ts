import { describe, expect, it } from 'vitest'
import { endpointId } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { DiscoveredState } from './state.js'
import type { ServiceDeclaration, Workload } from './types.js'

const endpoint = (address: string): MeshEndpoint => ({ id: endpointId(address, 80), address, port: 80, labels: {}, locality: undefined, weight: 1 })
const service: ServiceDeclaration = { host: 'a.shop.svc.cluster.local', kind: 'Service', namespace: 'shop', name: 'a', origin: 'x', ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: undefined }], resolution: 'STATIC' }
const workload = (name: string, labels: Record<string, string> = {}): Workload => ({ namespace: 'shop', name, origin: `etcd:/w/${name}`, address: '10.0.0.1', ports: {}, labels, locality: undefined, weight: 1 })

describe('DiscoveredState', () => {
  it('lists rule documents Kubernetes first, then etcd, each by origin', () => {
    const state = new DiscoveredState()
    state.putRule({ source: 'etcd', origin: 'etcd:/m/config/b', text: 'b' })
    state.putRule({ source: 'kubernetes', origin: 'kubernetes:/z', object: {} })
    state.putRule({ source: 'etcd', origin: 'etcd:/m/config/a', text: 'a' })
    expect(state.rules().map((rule) => rule.origin)).toEqual(['kubernetes:/z', 'etcd:/m/config/a', 'etcd:/m/config/b'])
  })

  it('tells config listeners only when rules or services really change', () => {
    const state = new DiscoveredState()
    let changes = 0
    state.onConfigChange(() => (changes += 1))
    state.putRule({ source: 'kubernetes', origin: 'k', object: { spec: 1 } })
    state.putRule({ source: 'kubernetes', origin: 'k', object: { spec: 1 } })
    state.putService(service)
    state.putService({ ...service })
    state.deleteRule('missing')
    expect(changes).toBe(2)
    state.deleteService(service.host)
    expect(changes).toBe(3)
  })

  it('answers the endpoints of a registry host per port, none for an undeclared port, undefined for other hosts', () => {
    const state = new DiscoveredState()
    const list = [endpoint('10.0.0.1')]
    state.setEndpoints(service.host, new Map([[80, list]]))
    expect(state.endpointsOf(service.host, 80)).toBe(list)
    expect(state.endpointsOf(service.host, 81)).toEqual([])
    expect(state.endpointsOf('other', 80)).toBeUndefined()
  })

  it('versions the workloads of each namespace and keeps the list object until it changes', () => {
    const state = new DiscoveredState()
    expect(state.workloadsIn('shop').version).toBe(0)
    state.putWorkload(workload('b'))
    state.putWorkload(workload('a'))
    const first = state.workloadsIn('shop')
    expect(first.list.map((w) => w.name)).toEqual(['b', 'a'])
    expect(state.workloadsIn('shop')).toBe(first)
    state.deleteWorkload('shop', 'a')
    expect(state.workloadsIn('shop').version).toBeGreaterThan(first.version)
    expect(state.workloadsIn('other').list).toEqual([])
  })
})
