import { describe, expect, it } from 'vitest'
import { parseTarget } from './url-target.js'

/** What the WHATWG parser says, which the fast path must agree with. */
function byUrl(input: string) {
  const url = new URL(input)
  return { scheme: url.protocol.slice(0, -1), authority: url.host, path: `${url.pathname}${url.search}` }
}

describe('parseTarget', () => {
  it.each([
    'http://items:8080/items/1',
    'http://Items:80/a?b=c&d=%20e',
    'https://api.example.com:443/',
    'http://items',
    'http://items?q=1',
    'http://items/a/./b/../c',
    'http://items/%2e%2E/x',
    'http://items/a b',
    'http://items/é',
    'http://items/a#frag',
    'http://items\\a\\b',
    'HTTP://ITEMS/Path',
    'http://[::1]:8080/v6',
  ])('reads %s as the URL parser does', (input) => {
    expect(parseTarget(input)).toEqual(byUrl(input))
  })

  it('gives the same answer the second time, from the origin cache', () => {
    expect(parseTarget('http://cached:81/one')).toEqual(byUrl('http://cached:81/one'))
    expect(parseTarget('http://cached:81/two?x')).toEqual(byUrl('http://cached:81/two?x'))
  })

  it('tells apart origins that share a prefix when they alternate', () => {
    for (const input of ['http://a:8080/x', 'http://a:808/x', 'http://a:8081/x', 'http://ab/x', 'http://a/x', 'http://a:8080/y']) {
      expect(parseTarget(input)).toEqual(byUrl(input))
    }
  })

  it('refuses other schemes, credentials and what does not parse', () => {
    expect(parseTarget('ftp://items/a')).toBeUndefined()
    expect(parseTarget('http://user:pw@items/a')).toBeUndefined()
    expect(parseTarget('http://user:pw@items/a')).toBeUndefined()
    expect(parseTarget('not a url')).toBeUndefined()
    expect(parseTarget(new URL('http://u@items/'))).toBeUndefined()
  })
})
