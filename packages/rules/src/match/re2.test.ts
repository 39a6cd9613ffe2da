import { describe, expect, it } from 'vitest'
import { compileFullMatch, requiredLiteralPrefix } from './re2.js'

describe('requiredLiteralPrefix', () => {
  it('is the literal text before the first regex syntax', () => {
    expect(requiredLiteralPrefix('/items/[0-9]+')).toBe('/items/')
    expect(requiredLiteralPrefix('/api/v1/.*')).toBe('/api/v1/')
  })

  it('leaves out a literal that a quantifier makes optional or repeatable', () => {
    expect(requiredLiteralPrefix('/apis?/x')).toBe('/api')
    expect(requiredLiteralPrefix('/a*b')).toBe('/')
    expect(requiredLiteralPrefix('ab{2}')).toBe('a')
  })

  it('is empty when the pattern starts with syntax, has flags, or has an alternation anywhere', () => {
    expect(requiredLiteralPrefix('.*jason.*')).toBe('')
    expect(requiredLiteralPrefix('(?i)/items')).toBe('')
    expect(requiredLiteralPrefix('\\d+')).toBe('')
    expect(requiredLiteralPrefix('/a|/b')).toBe('')
    expect(requiredLiteralPrefix('/x(a|b)')).toBe('')
  })
})

describe('compileFullMatch with a literal prefix', () => {
  it('matches exactly as the full regex does', () => {
    const cases: Array<[string, string, boolean]> = [
      ['/items/[0-9]+', '/items/42', true],
      ['/items/[0-9]+', '/items/', false],
      ['/items/[0-9]+', '/other/42', false],
      ['/items/[0-9]+', '/items/42/x', false],
      ['/apis?/x', '/api/x', true],
      ['/apis?/x', '/apis/x', true],
      ['/a*b', '/b', true],
      ['/a*b', '/aaab', true],
      ['/x(a|b)', '/xb', true],
    ]
    for (const [pattern, input, expected] of cases) expect(compileFullMatch(pattern)(input), `${pattern} on ${input}`).toBe(expected)
  })
})
