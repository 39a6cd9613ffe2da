import { describe, expect, it } from 'vitest'
import { findQueryParam } from './query.js'

describe('findQueryParam', () => {
  it('finds a value among several parameters', () => {
    expect(findQueryParam('a=1&version=v2&b=3', 'version')).toBe('v2')
  })

  it('gives the empty value for ?key and ?key=', () => {
    expect(findQueryParam('debug', 'debug')).toBe('')
    expect(findQueryParam('x=1&debug=', 'debug')).toBe('')
  })

  it('does not confuse a parameter with a longer name that starts the same', () => {
    expect(findQueryParam('versions=9', 'version')).toBeUndefined()
    expect(findQueryParam('aversion=9&version=1', 'version')).toBe('1')
  })

  it('uses the first occurrence and compares values as sent', () => {
    expect(findQueryParam('v=1&v=2', 'v')).toBe('1')
    expect(findQueryParam('name=a%20b', 'name')).toBe('a%20b')
  })

  it('answers undefined for an absent parameter or an empty query', () => {
    expect(findQueryParam('a=1', 'b')).toBeUndefined()
    expect(findQueryParam('', 'a')).toBeUndefined()
  })
})
