import { afterEach, describe, expect, it } from 'vitest'
import { TRACEPARENT, startExample, tryIt } from '../example.mjs'

const started: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((example) => example.close()))
})

describe('the Fastify example', () => {
  it('hands trace headers to payments and stops a call to a hung payments at the caller\'s deadline', async () => {
    const example = await startExample()
    started.push(example)
    const { paid, hurried } = await tryIt(example.url)

    expect(paid.status).toBe(200)
    expect(paid.body.charge.seen).toEqual({ 'x-request-id': 'order-1001', traceparent: TRACEPARENT })

    expect(hurried.status).toBe(504)
    expect(hurried.body).toEqual({ status: 'failed', reason: 'timeout' })
  })
})
