import { describe, expect, it } from 'vitest'
import { bytesBody } from '@meshlet/core'
import { toFetchResponse } from './response.js'

describe('toFetchResponse', () => {
  it('builds a real Response with every header, repeated ones included', async () => {
    const response = toFetchResponse({ status: 201, headers: { 'set-cookie': ['a=1', 'b=2'], 'x-a': '1' }, body: bytesBody('hi'), localReason: undefined }, 'http://a/x', false, 'GET')
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(201)
    expect(response.statusText).toBe('Created')
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(response.url).toBe('http://a/x')
    expect(response.redirected).toBe(false)
    expect(await response.text()).toBe('hi')
  })

  it('hands a web stream body over without wrapping it', () => {
    const stream = new ReadableStream<Uint8Array>()
    const response = toFetchResponse({ status: 200, headers: {}, body: stream, localReason: undefined }, 'http://a/', false, 'GET')
    expect(response.body).toBe(stream)
  })

  it('gives no body to a 204 or a HEAD answer', () => {
    expect(toFetchResponse({ status: 204, headers: {}, body: bytesBody('x'), localReason: undefined }, 'http://a/', false, 'GET').body).toBeNull()
    expect(toFetchResponse({ status: 200, headers: {}, body: bytesBody('x'), localReason: undefined }, 'http://a/', false, 'HEAD').body).toBeNull()
  })

  it('reports status 600, which Istio allows and the Response constructor does not', () => {
    expect(toFetchResponse({ status: 600, headers: {}, body: null, localReason: undefined }, 'http://a/', false, 'GET').status).toBe(600)
  })
})
