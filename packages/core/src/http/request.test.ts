import { describe, expect, it } from 'vitest'
import { pathWithoutQuery, requestPort, splitAuthority } from './request.js'

describe('splitAuthority', () => {
  it('splits a host name and a port', () => {
    expect(splitAuthority('reviews:9080')).toEqual({ host: 'reviews', port: 9080 })
  })

  it('leaves the port undefined when the authority has none', () => {
    expect(splitAuthority('reviews.default.svc.cluster.local')).toEqual({ host: 'reviews.default.svc.cluster.local', port: undefined })
  })

  it('reads a bracketed IPv6 literal with and without a port', () => {
    expect(splitAuthority('[::1]:8080')).toEqual({ host: '::1', port: 8080 })
    expect(splitAuthority('[::1]')).toEqual({ host: '::1', port: undefined })
  })

  it('ignores a port that is not a valid number', () => {
    expect(splitAuthority('reviews:99999').port).toBeUndefined()
    expect(splitAuthority('reviews:abc').port).toBeUndefined()
  })
})

describe('requestPort', () => {
  it('falls back to the scheme default port', () => {
    expect(requestPort({ scheme: 'http', authority: 'a' })).toBe(80)
    expect(requestPort({ scheme: 'https', authority: 'a' })).toBe(443)
    expect(requestPort({ scheme: 'http', authority: 'a:81' })).toBe(81)
  })
})

describe('pathWithoutQuery', () => {
  it('drops the query string', () => {
    expect(pathWithoutQuery('/a/b?x=1')).toBe('/a/b')
    expect(pathWithoutQuery('/a')).toBe('/a')
  })
})
