import { describe, expect, it } from 'vitest'
import { parseRawHeaders, upstreamHeaders } from './hop-headers.js'

describe('upstreamHeaders', () => {
  it('drops hop-by-hop headers and sends the authority as Host', () => {
    const headers = upstreamHeaders({ connection: 'keep-alive', 'transfer-encoding': 'chunked', te: 'trailers', host: 'ignored', 'x-a': '1' }, 'reviews:9080', undefined)
    expect(headers).toEqual(['host', 'reviews:9080', 'x-a', '1'])
  })

  it('adds the time the try has left, rounded up and never 0, which would mean no timeout', () => {
    expect(upstreamHeaders({}, 'a', 120.2)).toEqual(['host', 'a', 'x-envoy-expected-rq-timeout-ms', '121'])
    expect(upstreamHeaders({}, 'a', -5)).toEqual(['host', 'a', 'x-envoy-expected-rq-timeout-ms', '1'])
    // The caller's own value is replaced, as Envoy sets the header.
    expect(upstreamHeaders({ 'x-envoy-expected-rq-timeout-ms': '9999' }, 'a', 50)).toEqual(['host', 'a', 'x-envoy-expected-rq-timeout-ms', '50'])
  })
})

describe('parseRawHeaders', () => {
  it('lower-cases names and keeps repeated headers as lists', () => {
    const raw = ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'X-Three', 'x', 'x-three', 'y', 'X-THREE', 'z'].map((s) => Buffer.from(s))
    expect(parseRawHeaders(raw)).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], 'x-three': ['x', 'y', 'z'] })
  })
})
