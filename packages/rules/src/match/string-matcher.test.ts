import { describe, expect, it } from 'vitest'
import { compileStringMatcher, isPresenceMatch } from './string-matcher.js'
import { compileMatchEntry, isCatchAllEntry } from './match-entry.js'

describe('compileStringMatcher', () => {
  it('treats a prefix as a raw string prefix, so /api matches /apis', () => {
    const matcher = compileStringMatcher({ prefix: '/api' })
    expect(matcher.test('/api')).toBe(true)
    expect(matcher.test('/apis')).toBe(true)
    expect(matcher.test('/ap')).toBe(false)
  })

  it('matches exact values case-sensitively', () => {
    const matcher = compileStringMatcher({ exact: '/Reviews' })
    expect(matcher.test('/Reviews')).toBe(true)
    expect(matcher.test('/reviews')).toBe(false)
  })

  it('requires a regex to match the whole value (RE2 full match, not a search)', () => {
    const matcher = compileStringMatcher({ regex: '\\d+$' })
    expect(matcher.test('123')).toBe(true)
    expect(matcher.test('a123')).toBe(false)
    expect(compileStringMatcher({ regex: '/v[0-9]' }).test('/v1/extra')).toBe(false)
  })

  it('folds case for exact and prefix when ignoreCase is set', () => {
    expect(compileStringMatcher({ exact: '/Ratings' }, { ignoreCase: true }).test('/rATINGS')).toBe(true)
    expect(compileStringMatcher({ prefix: '/API' }, { ignoreCase: true }).test('/api/v1')).toBe(true)
    expect(compileStringMatcher({ prefix: '/API' }, { ignoreCase: true }).test('/ap')).toBe(false)
  })

  it('leaves regex case-sensitive even with ignoreCase, as Envoy does for safe_regex', () => {
    const matcher = compileStringMatcher({ regex: '/api/.*' }, { ignoreCase: true })
    expect(matcher.ignoreCase).toBe(false)
    expect(matcher.test('/api/x')).toBe(true)
    expect(matcher.test('/API/x')).toBe(false)
    expect(compileStringMatcher({ regex: '(?i)/api/.*' }).test('/API/x')).toBe(true)
  })

  it('reads {} and regex "*" as a presence match', () => {
    expect(isPresenceMatch({})).toBe(true)
    expect(isPresenceMatch({ regex: '*' })).toBe(true)
    expect(isPresenceMatch({ exact: '' })).toBe(false)
    expect(compileStringMatcher({ regex: '*' }).kind).toBe('present')
  })

  it('runs a pattern that backtracks catastrophically in JavaScript against a 1 MB value and answers', () => {
    const matcher = compileStringMatcher({ regex: '(a+)+b' })
    const hostile = 'a'.repeat(1_000_000)
    expect(matcher.test(hostile)).toBe(false)
    expect(matcher.test(`${hostile}b`)).toBe(true)
  })
})

describe('compileMatchEntry', () => {
  it('lower-cases header names and marks withoutHeaders as inverted', () => {
    const entry = compileMatchEntry({ headers: { 'End-User': { exact: 'jason' } }, withoutHeaders: { 'X-Canary': {} } })
    expect(entry.headers.map((header) => [header.name, header.invert])).toEqual([
      ['end-user', false],
      ['x-canary', true],
    ])
  })

  it('reads missing withoutHeaders values as empty, except for the presence form', () => {
    const entry = compileMatchEntry({ withoutHeaders: { a: { exact: 'x' }, b: {} } })
    expect(entry.headers.find((header) => header.name === 'a')?.missingAsEmpty).toBe(true)
    expect(entry.headers.find((header) => header.name === 'b')?.missingAsEmpty).toBe(false)
  })

  it('keeps the port on the entry for a per-request comparison', () => {
    expect(compileMatchEntry({ port: 9080 }).port).toBe(9080)
    expect(compileMatchEntry({}).port).toBeUndefined()
  })

  it('knows the catch-all entries Envoy stops at', () => {
    expect(isCatchAllEntry(compileMatchEntry({}))).toBe(true)
    expect(isCatchAllEntry(compileMatchEntry({ uri: { prefix: '/' } }))).toBe(true)
    expect(isCatchAllEntry(compileMatchEntry({ uri: { regex: '.*' } }))).toBe(true)
    expect(isCatchAllEntry(compileMatchEntry({ uri: { prefix: '/a' } }))).toBe(false)
    expect(isCatchAllEntry(compileMatchEntry({ uri: { prefix: '/' }, method: { exact: 'GET' } }))).toBe(false)
    expect(isCatchAllEntry(compileMatchEntry({ port: 8080 }))).toBe(false)
  })
})
