import { afterEach, describe, expect, it } from 'vitest'
import { endpointId } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { DiscoveredState } from '@meshlet/discovery'
import { startUpstream } from '@meshlet/testing'
import type { Upstream } from '@meshlet/testing'
import { retireRemovedEndpoints } from '../../src/discovery/pool-retirement.js'
import { TransportPools } from '../../src/transport/dispatch.js'
import { H2PoolRegistry } from '../../src/transport/h2/pools.js'
import { DEFAULT_POOL_SETTINGS, PoolRegistry } from '../../src/transport/pools.js'

const endpoint = (address: string, port = 9080): MeshEndpoint => ({ id: endpointId(address, port), address, port, labels: {}, locality: undefined, weight: 1 })
const origin = (e: MeshEndpoint) => `http://${e.id}`

const opened: TransportPools[] = []
const upstreams: Upstream[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((pools) => pools.close()))
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()))
})

function transportPools(): TransportPools {
  const pools = new TransportPools(new PoolRegistry(), new H2PoolRegistry())
  opened.push(pools)
  return pools
}

describe('closing the connection pools of endpoints discovery removed', () => {
  it('closes the pools of an address that left a host, and keeps the others', () => {
    const state = new DiscoveredState()
    const pools = transportPools()
    retireRemovedEndpoints(state, pools)
    const [a, b, v6] = [endpoint('10.0.0.1'), endpoint('10.0.0.2'), endpoint('fd00::3')]
    state.setEndpoints('reviews.shop.svc.cluster.local', new Map([[9080, [a, b, v6]]]))
    for (const e of [a, b, v6]) pools.http1.get(origin(e), DEFAULT_POOL_SETTINGS)
    expect(pools.http1.size).toBe(3)

    state.setEndpoints('reviews.shop.svc.cluster.local', new Map([[9080, [b]]]))
    expect(pools.http1.size).toBe(1)
    // The pool left is b's: asking for it again returns the same pool, a's is a new one.
    const bPool = pools.http1.get(origin(b), DEFAULT_POOL_SETTINGS)
    expect(pools.http1.size).toBe(1)
    expect(pools.http1.get(origin(b), DEFAULT_POOL_SETTINGS)).toBe(bPool)
  })

  it('closes the pools of a live WorkloadEntry that was deleted', () => {
    const state = new DiscoveredState()
    const pools = transportPools()
    retireRemovedEndpoints(state, pools)
    const workload = (name: string, address: string) => ({ namespace: 'shop', name, origin: `etcd:/meshlet/workloads/shop/${name}`, address, ports: {}, labels: { app: 'reviews' }, locality: undefined, weight: 1 })
    state.putWorkload(workload('r1', '10.0.1.1'))
    state.putWorkload(workload('r2', '10.0.1.2'))
    pools.http1.get('http://10.0.1.1:9080', DEFAULT_POOL_SETTINGS)
    pools.http1.get('http://10.0.1.2:9080', DEFAULT_POOL_SETTINGS)
    state.deleteWorkload('shop', 'r1')
    expect(pools.http1.size).toBe(1)
  })

  it('lets a request in flight on a retired pool finish', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const upstream = await startUpstream({ answers: [{ until: held, status: 200, body: 'late but whole' }] })
    upstreams.push(upstream)
    const state = new DiscoveredState()
    const pools = transportPools()
    retireRemovedEndpoints(state, pools)
    const e = endpoint('127.0.0.1', upstream.port)
    state.setEndpoints('reviews.shop.svc.cluster.local', new Map([[9080, [e]]]))
    const answer = pools.http1.get(origin(e), DEFAULT_POOL_SETTINGS).request({ path: '/', method: 'GET' })
    await upstream.waitForRequests(1)

    state.setEndpoints('reviews.shop.svc.cluster.local', new Map([[9080, []]]))
    expect(pools.http1.size).toBe(0)
    release()
    const { statusCode, body } = await answer
    expect(statusCode).toBe(200)
    expect(await body.text()).toBe('late but whole')
  })
})
