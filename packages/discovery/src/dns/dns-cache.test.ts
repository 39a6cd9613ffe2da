import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import { DnsCache } from './dns-cache.js'
import type { DnsAnswer, DnsResolver } from './resolver.js'

/** A resolver whose answers the test changes; counts queries. */
function fakeResolver(initial: Record<string, DnsAnswer[]>) {
  const answers = { ...initial }
  let failing = false
  const calls: string[] = []
  const resolver: DnsResolver = {
    resolve4: async (host) => {
      calls.push(host)
      if (failing) throw Object.assign(new Error('SERVFAIL'), { code: 'ESERVFAIL' })
      const found = answers[host]
      if (!found) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' })
      return found
    },
    resolve6: async () => {
      throw Object.assign(new Error('ENODATA'), { code: 'ENODATA' })
    },
  }
  return { resolver, answers, calls, fail: (value: boolean) => (failing = value) }
}

describe('DnsCache', () => {
  it('answers from the cache while the TTL lasts and asks again when it runs out', async () => {
    const clock = new FakeClock()
    const dns = fakeResolver({ 'api.example.com': [{ address: '10.0.0.1', ttl: 30 }] })
    const cache = new DnsCache(dns.resolver, clock)
    expect(await cache.addresses('api.example.com')).toEqual(['10.0.0.1'])
    clock.advance(29_999)
    expect(cache.addresses('api.example.com')).toEqual(['10.0.0.1'])
    expect(dns.calls).toHaveLength(1)
    dns.answers['api.example.com'] = [{ address: '10.0.0.2', ttl: 30 }]
    clock.advance(1)
    expect(await cache.addresses('api.example.com')).toEqual(['10.0.0.2'])
    expect(dns.calls).toHaveLength(2)
  })

  it('refreshes no more often than every 5 s and no less often than every 60 s', async () => {
    const clock = new FakeClock()
    const dns = fakeResolver({ short: [{ address: '10.0.0.1', ttl: 0 }], long: [{ address: '10.0.0.2', ttl: 86_400 }] })
    const cache = new DnsCache(dns.resolver, clock)
    await cache.addresses('short')
    await cache.addresses('long')
    clock.advance(4_999)
    cache.addresses('short')
    expect(dns.calls).toEqual(['short', 'long'])
    clock.advance(55_001)
    await cache.addresses('long')
    expect(dns.calls).toEqual(['short', 'long', 'long'])
  })

  it('keeps the last good addresses when a refresh fails', async () => {
    const clock = new FakeClock()
    const dns = fakeResolver({ h: [{ address: '10.0.0.1', ttl: 10 }] })
    const cache = new DnsCache(dns.resolver, clock)
    await cache.addresses('h')
    dns.fail(true)
    clock.advance(10_000)
    expect(await cache.addresses('h')).toEqual(['10.0.0.1'])
  })

  it('has no addresses for a name that never resolved', async () => {
    const cache = new DnsCache(fakeResolver({}).resolver, new FakeClock())
    expect(await cache.addresses('nowhere.invalid')).toEqual([])
  })

  it('sends one query for concurrent lookups of a name', async () => {
    const dns = fakeResolver({ h: [{ address: '10.0.0.1', ttl: 10 }] })
    const cache = new DnsCache(dns.resolver, new FakeClock())
    await Promise.all([cache.addresses('h'), cache.addresses('h'), cache.addresses('h')])
    expect(dns.calls).toHaveLength(1)
  })

  it('returns the same array when a refresh gives the same addresses in another order', async () => {
    const clock = new FakeClock()
    const dns = fakeResolver({ h: [{ address: '10.0.0.1', ttl: 10 }, { address: '10.0.0.2', ttl: 10 }] })
    const cache = new DnsCache(dns.resolver, clock)
    const first = await cache.addresses('h')
    dns.answers.h = [{ address: '10.0.0.2', ttl: 10 }, { address: '10.0.0.1', ttl: 10 }]
    clock.advance(10_000)
    expect(await cache.addresses('h')).toBe(first)
  })

  it('falls back to the system resolver for names DNS does not know', async () => {
    const dns = fakeResolver({})
    const cache = new DnsCache({ ...dns.resolver, lookup: async () => ['127.0.0.1'] }, new FakeClock())
    expect(await cache.addresses('localhost')).toEqual(['127.0.0.1'])
  })
})
