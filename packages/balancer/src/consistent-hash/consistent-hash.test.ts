import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { createBalancer } from '../balancer/create-balancer.js'
import type { BalancerConfig } from '../config/config.js'
import type { GeneratedCookie } from './cookie.js'
import { formatSetCookie } from './cookie.js'

const endpoint = (index: number, weight?: number) => ({ address: `10.0.0.${index}`, port: 8080, weight })
const endpoints = (count: number) => Array.from({ length: count }, (_, i) => endpoint(i + 1))

const ringHash: BalancerConfig = { algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'header', name: 'x-user' } } }
const maglev: BalancerConfig = {
  algorithm: 'CONSISTENT_HASH',
  consistentHash: { key: { kind: 'header', name: 'x-user' }, algorithm: { kind: 'maglev', tableSize: 65_537 } },
}

function owners(config: BalancerConfig, list: ReturnType<typeof endpoints>, keys: number): string[] {
  const balancer = createBalancer(config, list, { random: seededRandom(1) })
  return Array.from({ length: keys }, (_, i) => balancer.pick({ header: () => `user-${i}` })!.address)
}

describe.each([
  ['ring hash', ringHash, 0.12],
  ['maglev', maglev, 0.15],
])('%s', (_name, config, maxMoved) => {
  it('sends the same key to the same endpoint every time', () => {
    const balancer = createBalancer(config, endpoints(10), { random: seededRandom(2) })
    const first = balancer.pick({ header: () => 'alice' })
    for (let i = 0; i < 20; i++) expect(balancer.pick({ header: () => 'alice' })).toBe(first)
  })

  it('moves about 1/N of the keys when one of N = 10 endpoints leaves', () => {
    const all = endpoints(10)
    const before = owners(config, all, 20_000)
    const after = owners(config, all.slice(0, 9), 20_000)
    let moved = 0
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) moved++
    const share = moved / before.length
    expect(share).toBeGreaterThan(0.07)
    expect(share).toBeLessThan(maxMoved)
    // Every key of the endpoint that left has to move.
    for (let i = 0; i < before.length; i++) if (before[i] === '10.0.0.10') expect(after[i]).not.toBe('10.0.0.10')
  })

  it('spreads keys roughly evenly over equal endpoints', () => {
    const counts = new Map<string, number>()
    for (const owner of owners(config, endpoints(5), 20_000)) counts.set(owner, (counts.get(owner) ?? 0) + 1)
    expect(counts.size).toBe(5)
    for (const count of counts.values()) expect(Math.abs(count / 20_000 - 0.2)).toBeLessThan(0.05)
  })

  it('gives an endpoint of weight 3 about three times the keys of one of weight 1', () => {
    const list = [endpoint(1, 1), endpoint(2, 3)]
    const heavy = owners(config, list, 20_000).filter((a) => a === '10.0.0.2').length / 20_000
    expect(heavy).toBeGreaterThan(0.68)
    expect(heavy).toBeLessThan(0.82)
  })

  it('picks at random when the request has no hash key', () => {
    const balancer = createBalancer(config, endpoints(4), { random: seededRandom(3) })
    const seen = new Set(Array.from({ length: 200 }, () => balancer.pick({})!.address))
    expect(seen.size).toBe(4)
  })

  it('does not avoid hosts already tried, as Istio omits previous_hosts with consistent hash', () => {
    const list = endpoints(5)
    const balancer = createBalancer(config, list, { random: seededRandom(4) })
    const first = balancer.pick({ header: () => 'bob' })!
    expect(balancer.pick({ header: () => 'bob', attempted: [first] })).toBe(first)
  })

  it('moves a key off an endpoint outlier detection ejected, always to the same other one', () => {
    const list = endpoints(5)
    const balancer = createBalancer(config, list, { random: seededRandom(9) })
    const home = balancer.pick({ header: () => 'dave' })!
    balancer.setEjected(home, true)
    const away = balancer.pick({ header: () => 'dave' })
    expect(away).toBeDefined()
    expect(away).not.toBe(home)
    expect(balancer.pick({ header: () => 'dave' })).toBe(away)
  })

  it('moves the keys of an ejected endpoint elsewhere and brings them back after', () => {
    const list = endpoints(5)
    const balancer = createBalancer(config, list, { random: seededRandom(5) })
    const home = balancer.pick({ header: () => 'carol' })!
    balancer.setEjected(home, true)
    const away = balancer.pick({ header: () => 'carol' })!
    expect(away).not.toBe(home)
    balancer.setEjected(home, false)
    expect(balancer.pick({ header: () => 'carol' })).toBe(home)
  })
})

describe('ring hash stability', () => {
  it('moves no key between the endpoints that stay when one leaves or joins', () => {
    const all = endpoints(10)
    const before = owners(ringHash, all, 20_000)
    const after = owners(ringHash, all.slice(0, 9), 20_000)
    for (let i = 0; i < before.length; i++) if (before[i] !== '10.0.0.10') expect(after[i]).toBe(before[i])
  })
})

describe('hash keys', () => {
  it('hashes a cookie, a query parameter and the source IP', () => {
    const cookie = createBalancer({ algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'cookie', name: 'sid' } } }, endpoints(10), { random: seededRandom(6) })
    const query = createBalancer({ algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'queryParameter', name: 'u' } } }, endpoints(10), { random: seededRandom(6) })
    const source = createBalancer({ algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'sourceIp' } } }, endpoints(10), { random: seededRandom(6) })
    const byHeader = createBalancer(ringHash, endpoints(10), { random: seededRandom(6) })
    // The same key text lands on the same endpoint whatever carries it.
    const expected = byHeader.pick({ header: () => 'k-42' })
    expect(cookie.pick({ cookie: (name) => (name === 'sid' ? 'k-42' : undefined) })?.address).toBe(expected?.address)
    expect(query.pick({ query: (name) => (name === 'u' ? 'k-42' : undefined) })?.address).toBe(expected?.address)
    expect(source.pick({ sourceIp: 'k-42' })?.address).toBe(expected?.address)
  })

  it('generates the cookie when it is absent and a ttl is set, and the cookie then sticks', () => {
    const config: BalancerConfig = {
      algorithm: 'CONSISTENT_HASH',
      consistentHash: { key: { kind: 'cookie', name: 'session', path: '/', ttlMs: 3_600_000 } },
    }
    const balancer = createBalancer(config, endpoints(10), { random: seededRandom(7) })
    const generated: GeneratedCookie[] = []
    const first = balancer.pick({ cookie: () => undefined, setCookie: (c) => generated.push(c) })
    expect(generated).toHaveLength(1)
    expect(generated[0]).toMatchObject({ name: 'session', path: '/', ttlMs: 3_600_000 })
    expect(generated[0]!.value).toMatch(/^[0-9a-f]{16}$/)
    expect(formatSetCookie(generated[0]!)).toBe(`session=${generated[0]!.value}; Max-Age=3600; Path=/; HttpOnly`)
    for (let i = 0; i < 10; i++) expect(balancer.pick({ cookie: () => generated[0]!.value, setCookie: (c) => generated.push(c) })).toBe(first)
    expect(generated).toHaveLength(1)
  })

  it('writes a session cookie (no Max-Age) for ttl 0', () => {
    expect(formatSetCookie({ name: 's', value: 'v', path: undefined, ttlMs: 0 })).toBe('s=v; HttpOnly')
  })

  it('does not generate a cookie without a ttl, and picks at random instead', () => {
    const config: BalancerConfig = { algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'cookie', name: 'session' } } }
    const balancer = createBalancer(config, endpoints(4), { random: seededRandom(8) })
    let calls = 0
    const seen = new Set(Array.from({ length: 100 }, () => balancer.pick({ setCookie: () => calls++ })!.address))
    expect(calls).toBe(0)
    expect(seen.size).toBe(4)
  })

  it('rejects a maglev table size that is not prime', () => {
    expect(() =>
      createBalancer({ algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'sourceIp' }, algorithm: { kind: 'maglev', tableSize: 65_536 } } }),
    ).toThrow(expect.objectContaining({ code: 'MESHLET_ERR_INVALID_ARGUMENT' }))
  })
})
