import { afterEach, describe, expect, it } from 'vitest'
import { startExample, tryIt } from '../example.mjs'

const started: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((example) => example.close()))
})

describe('the Express example', () => {
  it('routes beta users to catalog v2 by a header the middleware hands on, and answers CORS preflights', async () => {
    const example = await startExample()
    started.push(example)
    const { anonymous, beta, preflight } = await tryIt(example.url)

    expect(anonymous.catalog.version).toBe('v1')
    expect(anonymous.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(anonymous.catalog.seen['x-request-id']).toBe(anonymous.requestId)

    expect(beta.catalog.version).toBe('v2')
    expect(beta.catalog.seen).toEqual({ 'x-user-tier': 'beta', 'x-request-id': 'beta-req-1' })

    expect(preflight.status).toBe(200)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example')
    expect(preflight.headers['access-control-allow-headers']).toBe('x-user-tier,content-type')
  })
})
