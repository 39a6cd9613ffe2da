import { describe, expect, it } from 'vitest'
import type { MeshRequest } from '@meshlet/core'
import { followRedirect } from './redirects.js'

const post: MeshRequest = {
  method: 'POST',
  scheme: 'http',
  authority: 'a',
  path: '/x',
  headers: { 'content-type': 'text/plain', authorization: 'secret', 'x-keep': '1' },
  body: 'data',
}

describe('followRedirect', () => {
  it('turns a POST into a bodyless GET on 303 and drops body headers', () => {
    const { request, url } = followRedirect(post, new URL('http://a/x'), 303, '/y?z=1')
    expect(url.href).toBe('http://a/y?z=1')
    expect(request).toMatchObject({ method: 'GET', body: null, path: '/y?z=1', authority: 'a' })
    expect(request.headers['content-type']).toBeUndefined()
    expect(request.headers.authorization).toBe('secret')
  })

  it('keeps method and body on 307 and drops credentials when the origin changes', () => {
    const { request } = followRedirect(post, new URL('http://a/x'), 307, 'https://b.example.test:8443/z')
    expect(request).toMatchObject({ method: 'POST', body: 'data', scheme: 'https', authority: 'b.example.test:8443', path: '/z' })
    expect(request.headers.authorization).toBeUndefined()
    expect(request.headers['x-keep']).toBe('1')
  })

  it('refuses to replay a streamed body', () => {
    const streamed = { ...post, body: (async function* () {})() }
    expect(() => followRedirect(streamed, new URL('http://a/x'), 308, '/y')).toThrow(/streamed body/)
  })
})
