import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { VirtualClock } from '../simulator/virtual-clock.js'
import { createBalancer } from './create-balancer.js'

const endpoint = (address: string, weight?: number) => ({ address, port: 80, weight })

describe('previous-host avoidance on retries', () => {
  it('does not pick an endpoint an earlier try of the call went to', () => {
    const endpoints = ['a', 'b', 'c'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'RANDOM' }, endpoints, { random: seededRandom(71) })
    for (let i = 0; i < 200; i++) expect(balancer.pick({ attempted: [endpoints[0]!, endpoints[1]!] })).toBe(endpoints[2])
  })

  it('accepts a set of tried endpoints and matches them by address and port after an update', () => {
    const endpoints = ['a', 'b'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'LEAST_REQUEST' }, endpoints, { random: seededRandom(72) })
    balancer.setEndpoints(['a', 'b'].map((a) => endpoint(a)))
    for (let i = 0; i < 50; i++) expect(balancer.pick({ attempted: new Set([endpoints[0]!]) })!.address).toBe('b')
  })

  it('goes back to a tried endpoint when it is the only one left', () => {
    const only = endpoint('only')
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, [only])
    expect(balancer.pick({ attempted: [only] })).toBe(only)
  })

  it('may repeat a host when retryIgnorePreviousHosts is false', () => {
    const endpoints = ['a', 'b'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'RANDOM' }, endpoints, { random: seededRandom(73) })
    const picked = new Set(Array.from({ length: 100 }, () => balancer.pick({ attempted: [endpoints[0]!], avoidAttempted: false })!.address))
    expect(picked).toEqual(new Set(['a', 'b']))
  })

  it('never returns an endpoint outlier detection ejected, and none when all are', () => {
    const endpoints = ['a', 'b', 'c', 'd'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, endpoints, { random: seededRandom(74) })
    for (const e of endpoints.slice(0, 3)) balancer.setEjected(e, true)
    for (let i = 0; i < 50; i++) expect(balancer.pick()!.address).toBe('d')
    balancer.setEjected(endpoints[3]!, true)
    expect(balancer.pick()).toBeUndefined()
  })
})

describe('endpoint updates', () => {
  it('keeps calls in flight and latency learned for endpoints that stay', () => {
    const clock = new VirtualClock()
    const a = endpoint('a')
    const balancer = createBalancer({ algorithm: 'PEAK_EWMA' }, [a, endpoint('b')], { clock })
    balancer.onStart(a)
    balancer.onFinish(a, 300)
    balancer.onStart(a)
    balancer.setEndpoints([endpoint('a'), endpoint('c')])
    const hosts = balancer.describe().levels[0]!.localities[0]!.hosts
    expect(hosts.map((h) => [h.key, h.active, h.cost])).toEqual([
      ['a:80', 1, 600],
      ['c:80', 0, 10],
    ])
  })

  it('finishes a call to an endpoint removed meanwhile without complaint', () => {
    const a = endpoint('a')
    const balancer = createBalancer({ algorithm: 'LEAST_REQUEST' }, [a])
    balancer.onStart(a)
    balancer.setEndpoints([endpoint('b')])
    expect(() => balancer.onFinish(a, 5)).not.toThrow()
    expect(balancer.pick()!.address).toBe('b')
  })

  it('returns undefined with no endpoints at all', () => {
    expect(createBalancer({ algorithm: 'ROUND_ROBIN' }, []).pick()).toBeUndefined()
  })

  it('keeps an ejection across an update of the list', () => {
    const endpoints = ['a', 'b'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, endpoints)
    balancer.setEjected(endpoints[0]!, true)
    balancer.setEndpoints(['a', 'b'].map((a) => endpoint(a)))
    expect(new Set(Array.from({ length: 10 }, () => balancer.pick()!.address))).toEqual(new Set(['b']))
  })

  it('ignores duplicate endpoints', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, [endpoint('a'), endpoint('a'), endpoint('b')])
    expect(balancer.describe().levels[0]!.localities[0]!.hosts.map((h) => h.key)).toEqual(['a:80', 'b:80'])
  })
})

describe('PASSTHROUGH', () => {
  it('never picks: the caller connects to the original destination', () => {
    const balancer = createBalancer({ algorithm: 'PASSTHROUGH' }, [endpoint('a')])
    expect(balancer.passthrough).toBe(true)
    expect(balancer.pick()).toBeUndefined()
  })
})

describe('configuration checks', () => {
  it('refuses a warmup without a positive duration and an aggression of 0', () => {
    expect(() => createBalancer({ algorithm: 'ROUND_ROBIN', warmup: { durationMs: 0 } })).toThrow(/warmup.durationMs/)
    expect(() => createBalancer({ algorithm: 'ROUND_ROBIN', warmup: { durationMs: 1_000, aggression: 0 } })).toThrow(/aggression/)
  })

  it('refuses CONSISTENT_HASH without a hash setting', () => {
    expect(() => createBalancer({ algorithm: 'CONSISTENT_HASH' })).toThrow(expect.objectContaining({ code: 'MESHLET_ERR_INVALID_ARGUMENT' }))
  })
})
