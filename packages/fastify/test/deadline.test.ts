import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import type { FastifyInstance } from 'fastify'
import type { Mesh } from 'meshlet'
import { REVIEWS_BY_USER, at, json, mesh, serve, upstream } from './support.js'

/** /product relays the status and reason of its call to reviews. */
function relay(m: Mesh) {
  return (app: FastifyInstance) => {
    app.get('/product', async (_request, reply) => {
      const answer = await m.fetch('http://reviews:9080/reviews/1')
      return reply.code(answer.status).send({ reason: answer.headers.get('x-meshlet-reason') })
    })
  }
}

describe('meshletFastify deadline propagation', () => {
  it('bounds the outbound call by the inbound x-envoy-expected-rq-timeout-ms', async () => {
    const clock = new FakeClock()
    const slow = await upstream({ name: 'v1', answers: [{ hang: true }] })
    const m = await mesh({ yaml: REVIEWS_BY_USER, clock, endpoints: { reviews: [at(slow, { version: 'v1' })] } })
    const { url } = await serve({ mesh: m }, relay(m))

    const pending = fetch(`${url}/product`, { headers: { 'x-envoy-expected-rq-timeout-ms': '300' } })
    await slow.waitForRequests(1)
    await clock.whenTimers(1)
    clock.advance(300)
    const answer = await pending
    expect(answer.status).toBe(504)
    expect((await json<{ reason: string }>(answer)).reason).toBe('timeout')
  })

  it('ignores a malformed deadline header, as Envoy does', async () => {
    const clock = new FakeClock()
    let release: () => void = () => undefined
    const until = new Promise<void>((resolve) => (release = resolve))
    const slow = await upstream({ name: 'v1', answers: [{ status: 200, until }] })
    const m = await mesh({ yaml: REVIEWS_BY_USER, clock, endpoints: { reviews: [at(slow, { version: 'v1' })] } })
    const { url } = await serve({ mesh: m }, relay(m))

    const pending = fetch(`${url}/product`, { headers: { 'x-envoy-expected-rq-timeout-ms': '300ms' } })
    await slow.waitForRequests(1)
    expect(clock.pendingTimers).toBe(0)
    release()
    expect((await pending).status).toBe(200)
  })
})
