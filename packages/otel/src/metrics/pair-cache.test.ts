import { describe, expect, it } from 'vitest'
import { NO_ENDPOINT, PairCache } from './pair-cache.js'

describe('PairCache', () => {
  it('makes a handle once per pair of objects and returns it after', () => {
    let made = 0
    const cache = new PairCache((target: { host: string }, endpoint: object) => ({ host: target.host, endpoint, serial: ++made }))
    const target = { host: 'reviews' }
    const endpoint = { id: '127.0.0.1:9080' }
    const first = cache.get(target, endpoint)
    expect(cache.get(target, endpoint)).toBe(first)
    expect(cache.get(target, NO_ENDPOINT)).not.toBe(first)
    expect(cache.get({ host: 'reviews' }, endpoint)).not.toBe(first)
    expect(made).toBe(3)
  })
})
