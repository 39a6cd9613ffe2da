import { describe, expect, it } from 'vitest'
import express from 'express'
import { FakeClock } from '@meshlet/testing'
import type { Mesh } from 'meshlet'
import { meshletExpress } from '../src/index.js'
import { REVIEWS_BY_USER, at, json, mesh, serve, upstream } from './support.js'

/** A frontend relaying the status and reason of its call to reviews. */
async function frontend(m: Mesh): Promise<string> {
  const app = express()
  app.use(meshletExpress(m))
  app.get('/product', async (_req, res) => {
    const answer = await m.fetch('http://reviews:9080/reviews/1')
    res.status(answer.status).json({ reason: answer.headers.get('x-meshlet-reason') })
  })
  return serve(app)
}

describe('meshletExpress deadline propagation', () => {
  it('bounds the outbound call by the inbound x-envoy-expected-rq-timeout-ms', async () => {
    const clock = new FakeClock()
    const slow = await upstream({ name: 'v1', answers: [{ hang: true }] })
    const m = await mesh({ yaml: REVIEWS_BY_USER, clock, endpoints: { reviews: [at(slow, { version: 'v1' })] } })
    const url = await frontend(m)

    const pending = fetch(`${url}/product`, { headers: { 'x-envoy-expected-rq-timeout-ms': '250' } })
    await slow.waitForRequests(1)
    await clock.whenTimers(1)
    clock.advance(249)
    clock.advance(1)
    const answer = await pending
    expect(answer.status).toBe(504)
    expect((await json<{ reason: string }>(answer)).reason).toBe('timeout')
  })

  it('bounds a gRPC call by its grpc-timeout', async () => {
    const clock = new FakeClock()
    const slow = await upstream({ name: 'v1', answers: [{ hang: true }] })
    const m = await mesh({ yaml: REVIEWS_BY_USER, clock, endpoints: { reviews: [at(slow, { version: 'v1' })] } })
    const url = await frontend(m)

    const pending = fetch(`${url}/product`, { headers: { 'content-type': 'application/grpc', 'grpc-timeout': '2S' } })
    await slow.waitForRequests(1)
    await clock.whenTimers(1)
    clock.advance(2000)
    expect((await pending).status).toBe(504)
  })

  it('lets a call without an inbound deadline wait for the upstream', async () => {
    const clock = new FakeClock()
    let release: () => void = () => undefined
    const until = new Promise<void>((resolve) => (release = resolve))
    const slow = await upstream({ name: 'v1', answers: [{ status: 200, until }] })
    const m = await mesh({ yaml: REVIEWS_BY_USER, clock, endpoints: { reviews: [at(slow, { version: 'v1' })] } })
    const url = await frontend(m)

    const pending = fetch(`${url}/product`)
    await slow.waitForRequests(1)
    clock.advance(60_000)
    expect(clock.pendingTimers).toBe(0)
    release()
    expect((await pending).status).toBe(200)
  })
})
