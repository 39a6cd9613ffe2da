import { describe, expect, it } from 'vitest'
import type { CompiledRedirect } from '../compile/snapshot.js'
import { compileMatchEntry } from '../match/match-entry.js'
import { redirectLocation } from './redirect-location.js'

const redirect = (fields: Partial<CompiledRedirect>): CompiledRedirect => ({
  kind: 'redirect',
  uri: undefined,
  prefixRewrite: undefined,
  authority: undefined,
  scheme: undefined,
  port: undefined,
  derivePort: undefined,
  status: 301,
  ...fields,
})

const request = { scheme: 'http', authority: 'ratings:9080', path: '/v1/getProductRatings', query: 'id=7', port: 9080 }

describe('redirectLocation', () => {
  it('replaces the whole path with uri and keeps the request query', () => {
    const match = compileMatchEntry({ uri: { prefix: '/v1' } })
    expect(redirectLocation(redirect({ uri: '/v1/bookRatings' }), match, request)).toBe('http://ratings:9080/v1/bookRatings?id=7')
  })

  it('lets a uri with its own query replace the request query', () => {
    expect(redirectLocation(redirect({ uri: '/new?x=1' }), undefined, request)).toBe('http://ratings:9080/new?x=1')
  })

  it('replaces only the matched prefix with prefixRewrite', () => {
    const match = compileMatchEntry({ uri: { prefix: '/v1/' } })
    expect(redirectLocation(redirect({ prefixRewrite: '/v2/' }), match, request)).toBe('http://ratings:9080/v2/getProductRatings?id=7')
  })

  it('swaps the authority and drops :443 on https', () => {
    expect(redirectLocation(redirect({ authority: 'bookratings', scheme: 'https', port: 443 }), undefined, request)).toBe(
      'https://bookratings/v1/getProductRatings?id=7',
    )
  })

  it('drops an explicit :80 on http but keeps other ports', () => {
    expect(redirectLocation(redirect({ port: 80 }), undefined, request)).toBe('http://ratings/v1/getProductRatings?id=7')
    expect(redirectLocation(redirect({ port: 8443, scheme: 'https' }), undefined, request)).toBe('https://ratings:8443/v1/getProductRatings?id=7')
  })

  it('uses the request port with derivePort FROM_REQUEST_PORT', () => {
    expect(redirectLocation(redirect({ authority: 'other', derivePort: 'FROM_REQUEST_PORT' }), undefined, request)).toBe('http://other:9080/v1/getProductRatings?id=7')
  })

  it('drops the old default port when the scheme changes, as Envoy does', () => {
    const plain = { ...request, authority: 'ratings:80', port: 80 }
    expect(redirectLocation(redirect({ scheme: 'https' }), undefined, plain)).toBe('https://ratings/v1/getProductRatings?id=7')
    expect(redirectLocation(redirect({ scheme: 'https' }), undefined, request)).toBe('https://ratings:9080/v1/getProductRatings?id=7')
  })
})
