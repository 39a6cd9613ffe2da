import { describe, expect, it } from 'vitest'
import { toMeshRequest } from './request.js'

describe('toMeshRequest', () => {
  it('splits a URL into scheme, authority and path with query', () => {
    const { request, redirect } = toMeshRequest('http://reviews:9080/reviews/1?a=b', undefined)
    expect(request).toMatchObject({ method: 'GET', scheme: 'http', authority: 'reviews:9080', path: '/reviews/1?a=b', body: null })
    expect(redirect).toBe('follow')
  })

  it('lower-cases header names from a plain object, Headers or pairs', () => {
    expect(toMeshRequest('http://a/', { headers: { 'End-User': 'jason' } }).request.headers).toEqual({ 'end-user': 'jason' })
    expect(toMeshRequest('http://a/', { headers: new Headers({ 'X-A': '1' }) }).request.headers).toEqual({ 'x-a': '1' })
    expect(toMeshRequest('http://a/', { headers: [['X-B', '2'], ['x-b', '3']] }).request.headers).toEqual({ 'x-b': '2, 3' })
  })

  it('upper-cases the standard methods only, as fetch does', () => {
    expect(toMeshRequest('http://a/', { method: 'post', body: 'x' }).request.method).toBe('POST')
    expect(toMeshRequest('http://a/', { method: 'patch', body: 'x' }).request.method).toBe('patch')
  })

  it('adds the content-type fetch gives a string body unless the caller set one', () => {
    expect(toMeshRequest('http://a/', { method: 'POST', body: 'x' }).request.headers['content-type']).toBe('text/plain;charset=UTF-8')
    expect(toMeshRequest('http://a/', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).request.headers['content-type']).toBe('application/json')
  })

  it('takes method, headers, body and signal from a Request, init overriding', () => {
    const controller = new AbortController()
    const input = new Request('https://api.example.test/x', { method: 'PUT', headers: { 'x-a': '1' }, body: 'b', signal: controller.signal })
    const { request, signal } = toMeshRequest(input, { headers: { 'x-b': '2' } })
    expect(request).toMatchObject({ method: 'PUT', scheme: 'https', authority: 'api.example.test', headers: { 'x-b': '2' } })
    expect(request.body).not.toBeNull()
    expect(signal?.aborted).toBe(false)
  })

  it('rejects what fetch rejects, with MESHLET_ERR_INVALID_REQUEST', () => {
    expect(() => toMeshRequest('not a url', undefined)).toThrow(expect.objectContaining({ code: 'MESHLET_ERR_INVALID_REQUEST' }))
    expect(() => toMeshRequest('ftp://a/', undefined)).toThrow(/scheme/)
    expect(() => toMeshRequest('http://a/', { body: 'x' })).toThrow(/GET request cannot have a body/)
    expect(() => toMeshRequest('http://a/', { method: 'CONNECT' })).toThrow(/CONNECT/)
    expect(() => toMeshRequest('http://user:pw@a/', undefined)).toThrow(/credentials/)
  })
})
