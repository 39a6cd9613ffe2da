import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { createBalancer } from '../balancer/create-balancer.js'

const endpoint = (address: string, weight?: number) => ({ address, port: 80, weight })

describe('LEAST_REQUEST', () => {
  it('is the algorithm when the policy names none (Istio’s default)', () => {
    expect(createBalancer(undefined, [endpoint('a')]).algorithm).toBe('LEAST_REQUEST')
    expect(createBalancer({ algorithm: 'LEAST_CONN' }, [endpoint('a')]).algorithm).toBe('LEAST_REQUEST')
  })

  it('with equal weights never picks the busiest of three endpoints (P2C draws two different ones)', () => {
    const endpoints = ['a', 'b', 'c'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'LEAST_REQUEST' }, endpoints, { random: seededRandom(21) })
    for (let i = 0; i < 5; i++) balancer.onStart(endpoints[0]!)
    balancer.onStart(endpoints[1]!)
    const picked = Array.from({ length: 300 }, () => balancer.pick()!.address)
    expect(picked).not.toContain('a')
    // c (idle) beats b (one in flight) whenever both are drawn: about one third of picks go to b.
    const toB = picked.filter((a) => a === 'b').length
    expect(toB).toBeGreaterThan(60)
    expect(toB).toBeLessThan(140)
  })

  it('spreads evenly when nothing is in flight', () => {
    const balancer = createBalancer({ algorithm: 'LEAST_REQUEST' }, ['a', 'b', 'c', 'd'].map((a) => endpoint(a)), { random: seededRandom(22) })
    const counts: Record<string, number> = {}
    for (let i = 0; i < 20_000; i++) {
      const address = balancer.pick()!.address
      counts[address] = (counts[address] ?? 0) + 1
    }
    for (const n of Object.values(counts)) expect(Math.abs(n / 20_000 - 0.25)).toBeLessThan(0.02)
  })

  it('with unequal weights follows weight / (active + 1): weight 2 with 3 in flight counts as 0.5', () => {
    const endpoints = [endpoint('heavy', 2), endpoint('light', 1)]
    const balancer = createBalancer({ algorithm: 'LEAST_REQUEST' }, endpoints, { random: seededRandom(23) })
    const idle = Array.from({ length: 300 }, () => balancer.pick()!.address)
    expect(idle.filter((a) => a === 'heavy')).toHaveLength(200)

    for (let i = 0; i < 3; i++) balancer.onStart(endpoints[0]!)
    const busy = Array.from({ length: 300 }, () => balancer.pick()!.address)
    const heavyShare = busy.filter((a) => a === 'heavy').length / 300
    expect(heavyShare).toBeGreaterThan(0.28)
    expect(heavyShare).toBeLessThan(0.38)
  })

  it('forgets a finished call: the in-flight count goes back down', () => {
    const endpoints = ['a', 'b'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'LEAST_REQUEST' }, endpoints, { random: seededRandom(24) })
    balancer.onStart(endpoints[0]!)
    expect(balancer.pick()!.address).toBe('b')
    balancer.onFinish(endpoints[0]!, 5)
    const hosts = balancer.describe().levels[0]!.localities[0]!.hosts
    expect(hosts.map((h) => h.active)).toEqual([0, 0])
  })
})
