import { describe, expect, it } from 'vitest'
import { TriedEndpoints } from './tried-endpoints.js'

const endpoint = (id: string) => ({ id })

describe('TriedEndpoints', () => {
  it('picks an endpoint not tried yet when one turns up within the selection attempts', () => {
    const tried = new TriedEndpoints(true)
    tried.record(endpoint('a'))
    const picks = ['a', 'a', 'b'].map(endpoint)
    expect(tried.select(() => picks.shift())?.id).toBe('b')
    expect(tried.endpoints.map((e) => e.id)).toEqual(['a', 'b'])
  })

  it('accepts a repeat after five picks, as Envoy with Istio\'s host_selection_retry_max_attempts', () => {
    const tried = new TriedEndpoints(true)
    tried.record(endpoint('a'))
    let picks = 0
    expect(tried.select(() => (picks++, endpoint('a')))?.id).toBe('a')
    expect(picks).toBe(5)
  })

  it('takes the first pick when previous hosts are not avoided', () => {
    const tried = new TriedEndpoints(false)
    tried.record(endpoint('a'))
    let picks = 0
    expect(tried.select(() => (picks++, endpoint('a')))?.id).toBe('a')
    expect(picks).toBe(1)
  })

  it('records each endpoint once and finds none when the balancer has none', () => {
    const tried = new TriedEndpoints(true)
    tried.record(endpoint('a'))
    tried.record(endpoint('a'))
    expect(tried.size).toBe(1)
    expect(tried.select(() => undefined)).toBeUndefined()
  })
})
