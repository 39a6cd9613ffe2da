import { describe, expect, it } from 'vitest'
import { compileRewrite } from '../compile/virtual-service/rewrite.js'
import { compileMatchEntry } from '../match/match-entry.js'
import { rewritePath } from './rewrite-path.js'

describe('rewritePath', () => {
  it('replaces the matched prefix and keeps the query (Envoy prefix_rewrite)', () => {
    const match = compileMatchEntry({ uri: { prefix: '/ratings' } })
    expect(rewritePath(compileRewrite({ uri: '/v1/bookRatings' }, undefined), match, '/ratings/7', 'a=1')).toBe('/v1/bookRatings/7?a=1')
  })

  it('replaces the whole path after an exact match', () => {
    const match = compileMatchEntry({ uri: { exact: '/old' } })
    expect(rewritePath(compileRewrite({ uri: '/new' }, undefined), match, '/old', '')).toBe('/new')
  })

  it('replaces the leading "/" when the route has no uri condition', () => {
    expect(rewritePath(compileRewrite({ uri: '/v2/' }, undefined), undefined, '/items', '')).toBe('/v2/items')
  })

  it('applies uriRegexRewrite with Istio \\1 groups on the path only', () => {
    const rewrite = compileRewrite({ uriRegexRewrite: { match: '^/service/([^/]+)(/.*)$', rewrite: '\\2/instance/\\1' } }, undefined)
    expect(rewritePath(rewrite, undefined, '/service/foo/v1/api', 'q=1')).toBe('/v1/api/instance/foo?q=1')
  })

  it('keeps a literal $ in the replacement and leaves unknown groups empty', () => {
    const rewrite = compileRewrite({ uriRegexRewrite: { match: '/(a)', rewrite: '/$1-\\1-\\5' } }, undefined)
    expect(rewritePath(rewrite, undefined, '/a', '')).toBe('/$1-a-')
  })

  it('replaces every occurrence, as RE2 GlobalReplace does', () => {
    const rewrite = compileRewrite({ uriRegexRewrite: { match: '-', rewrite: '/' } }, undefined)
    expect(rewritePath(rewrite, undefined, '/a-b-c', '')).toBe('/a/b/c')
  })
})
