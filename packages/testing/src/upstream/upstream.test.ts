import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { startUpstream } from './upstream.js'
import type { Upstream } from './upstream.js'

let upstream: Upstream | undefined
afterEach(async () => {
  await upstream?.close()
  upstream = undefined
})

describe('startUpstream', () => {
  it('answers with the scripted statuses in order, then the echo fallback', async () => {
    upstream = await startUpstream({ name: 'v1', answers: [503, { status: 201, body: 'made' }] })
    const first = await request(`${upstream.url}/a`)
    const second = await request(`${upstream.url}/b`)
    const third = await request(`${upstream.url}/c?x=1`)
    expect(first.statusCode).toBe(503)
    await first.body.dump()
    expect(await second.body.text()).toBe('made')
    expect(third.statusCode).toBe(200)
    expect(await third.body.json()).toMatchObject({ upstream: 'v1', method: 'GET', path: '/c?x=1' })
  })

  it('records each request with its headers and body', async () => {
    upstream = await startUpstream()
    const response = await request(`${upstream.url}/upload`, { method: 'POST', body: 'hello', headers: { 'end-user': 'jason' } })
    await response.body.dump()
    expect(upstream.requests).toHaveLength(1)
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', path: '/upload', body: 'hello', bodyBytes: 5 })
    expect(upstream.requests[0]!.headers['end-user']).toBe('jason')
  })

  it('closes the connection without answering on a reset before headers', async () => {
    upstream = await startUpstream({ answers: [{ reset: 'before-headers' }] })
    await expect(request(upstream.url)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
  })

  it('breaks the body off on a reset after headers', async () => {
    upstream = await startUpstream({ answers: [{ reset: 'after-headers' }] })
    const response = await request(upstream.url)
    expect(response.statusCode).toBe(200)
    await expect(response.body.text()).rejects.toThrow()
  })

  it('holds an answer until the test releases it', async () => {
    let release!: () => void
    upstream = await startUpstream({ answers: [{ status: 200, body: 'late', until: new Promise<void>((resolve) => (release = resolve)) }] })
    const pending = request(upstream.url)
    await upstream.waitForRequests(1)
    release()
    expect(await (await pending).body.text()).toBe('late')
  })

  it('streams a large download in chunks', async () => {
    upstream = await startUpstream({ answers: [{ streamBytes: 5_000_000 }] })
    const response = await request(upstream.url)
    let bytes = 0
    for await (const chunk of response.body) bytes += (chunk as Buffer).length
    expect(bytes).toBe(5_000_000)
  })

  it('closes hung requests when it closes', async () => {
    upstream = await startUpstream({ answers: [{ hang: true }] })
    const pending = request(upstream.url)
    await upstream.waitForRequests(1)
    await upstream.close()
    upstream = undefined
    await expect(pending).rejects.toThrow()
  })
})
