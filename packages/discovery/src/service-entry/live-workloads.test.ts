import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import { DiscoveredState } from '../discovered/state.js'
import type { Workload } from '../discovered/types.js'
import { EndpointRegistry } from '../registry.js'
import type { ServiceEntryShape } from './shape.js'

const entry: ServiceEntryShape = {
  hosts: ['reviews.fleet'],
  ports: [{ number: 9080, name: 'http', targetPort: undefined }],
  resolution: 'STATIC',
  endpoints: [{ address: '10.0.0.1', ports: {}, labels: { app: 'reviews', version: 'v1' }, locality: undefined, weight: 1 }],
  workloadSelector: { app: 'reviews' },
  ref: { namespace: 'shop' },
}

const workload = (name: string, address: string, labels: Record<string, string>, extra: Partial<Workload> = {}): Workload => ({
  namespace: 'shop',
  name,
  origin: `etcd:/meshlet/workloads/shop/${name}`,
  address,
  ports: {},
  labels,
  locality: undefined,
  weight: 1,
  ...extra,
})

function setup() {
  const state = new DiscoveredState()
  const registry = new EndpointRegistry({ namespace: 'shop', domain: 'cluster.local', clock: new FakeClock(), discovered: state })
  return { state, registry, endpoints: () => registry.endpoints('reviews.fleet', 9080, entry) as ReturnType<EndpointRegistry['endpoints']> & readonly { address: string; port: number }[] }
}

describe('ServiceEntry workloadSelector with WorkloadEntries registered live', () => {
  it('adds the live WorkloadEntries of the entry namespace carrying every selector label', () => {
    const { state, endpoints } = setup()
    state.putWorkload(workload('r2', '10.0.0.2', { app: 'reviews', version: 'v2' }))
    state.putWorkload(workload('x', '10.0.0.3', { app: 'ratings' }))
    state.putWorkload({ ...workload('other-ns', '10.0.0.4', { app: 'reviews' }), namespace: 'other' })
    expect(endpoints().map((e) => e.address)).toEqual(['10.0.0.1', '10.0.0.2'])
  })

  it('takes the port from the ports map, then the registered port, then the service port', () => {
    const { state, endpoints } = setup()
    state.putWorkload(workload('a', '10.0.0.2', { app: 'reviews' }, { ports: { http: 7000 }, defaultPort: 7001 }))
    state.putWorkload(workload('b', '10.0.0.3', { app: 'reviews' }, { defaultPort: 7001 }))
    state.putWorkload(workload('c', '10.0.0.4', { app: 'reviews' }))
    expect(endpoints().map((e) => e.port)).toEqual([9080, 7000, 7001, 9080])
  })

  it('answers the same list until the selection changes, and a new one after', () => {
    const { state, endpoints } = setup()
    state.putWorkload(workload('r2', '10.0.0.2', { app: 'reviews' }))
    const first = endpoints()
    state.putWorkload(workload('x', '10.0.0.3', { app: 'ratings' }))
    expect(endpoints()).toBe(first)
    state.deleteWorkload('shop', 'r2')
    expect(endpoints()).not.toBe(first)
    expect(endpoints().map((e) => e.address)).toEqual(['10.0.0.1'])
  })

  it('prefers a live registry host (a Kubernetes Service) over the ServiceEntry', () => {
    const { state, registry } = setup()
    const list = Object.freeze([{ id: '10.9.9.9:80', address: '10.9.9.9', port: 80, labels: {}, locality: undefined, weight: 1 }])
    state.setEndpoints('reviews.fleet', new Map([[9080, list]]))
    expect(registry.endpoints('reviews.fleet', 9080, entry)).toBe(list)
  })
})
