import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { inboundContextFactory, runWithInboundContext } from '@meshlet/core'
import { inboundDeadline } from '@meshlet/resilience'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { Mesh } from 'meshlet'
import { at, drive, failOnEscapedErrors, maxBackoffMs, mesh, recordEvents, settle, upstream } from './support.js'

// Timeouts and deadlines (reference §6.1, §6.5): the route timeout bounds every try and every
// backoff; a deadline an inbound request brings in x-envoy-expected-rq-timeout-ms bounds the
// outbound calls made while handling it and is sent on, as Envoy's router sends it.

failOnEscapedErrors()

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/**
 * A service in front of the mesh, as the Express and Fastify adapters make one: each inbound
 * request runs in an inbound context carrying its deadline, and calls `url` through the mesh.
 * It answers with the status it got and the reason, if any.
 */
async function frontend(m: Mesh, url: string): Promise<string> {
  const contextFor = inboundContextFactory(m, { readDeadline: inboundDeadline })
  const server = createServer((request, response) => {
    runWithInboundContext(contextFor(request.headers, request.socket.remoteAddress), async () => {
      const answer = await m.fetch(url)
      await answer.arrayBuffer()
      response.writeHead(answer.status, { 'x-meshlet-reason': answer.headers.get('x-meshlet-reason') ?? 'none' }).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

function backendRules(route: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: backend }
spec:
  hosts: [backend]
  http:
  - route: [{ destination: { host: backend } }]
${route}
`
}

describe('the route timeout', () => {
  it('bounds every try and every backoff: hung tries are retried until it fires, then 504 and nothing more', async () => {
    const clock = new FakeClock()
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({
      clock,
      random: seededRandom(13),
      yaml: backendRules('    timeout: 1s\n    retries: { attempts: 10, perTryTimeout: 600ms, retryOn: reset }'),
      endpoints: { backend: [at(server)] },
    })
    const events = recordEvents(m, ['retry', 'timeout'])
    let answeredAtMs: number | undefined
    const pending = m.fetch('http://backend/').then((response) => {
      answeredAtMs = clock.now()
      return response
    })
    await server.waitForRequests(1)
    await clock.tick(600)
    await clock.tick(maxBackoffMs(1))
    await server.waitForRequests(2)
    // The second try started after the first one's 600 ms and its backoff: it was told what was left.
    const secondTryStartMs = 600 + events.retry[0]!.backoffMs
    expect(server.requests.map((request) => request.headers['x-envoy-expected-rq-timeout-ms'])).toEqual(['600', String(1_000 - secondTryStartMs)])
    await clock.tick(1_000 - clock.now())
    expect(await settle(await pending)).toMatchObject({ status: 504, reason: 'timeout' })
    expect(answeredAtMs).toBe(1_000)
    expect(events.timeout.map((event) => event.kind)).toEqual(['per-try', 'route'])
    for (let i = 0; i < 10; i++) await clock.tick(100)
    expect(server.requests).toHaveLength(2)
  })

  it('answers 504 when a backoff would leave too little time: the deadline is the reason to stop, as if the timer had fired', async () => {
    const clock = new FakeClock()
    const server = await upstream({ fallback: { status: 503, body: 'try later' } })
    // random 0.99: the first backoff is 24 ms, more than the 20 ms the route allows.
    const m = await mesh({ clock, random: () => 0.99, yaml: backendRules('    timeout: 20ms\n    retries: { attempts: 3, retryOn: "5xx" }'), endpoints: { backend: [at(server)] } })
    const events = recordEvents(m, ['retry', 'giveUp'])
    expect(await settle(await m.fetch('http://backend/'))).toMatchObject({ status: 504, reason: 'timeout' })
    expect(events.retry).toEqual([])
    expect(events.giveUp).toMatchObject([{ reason: 'deadline', tries: 1 }])
    expect(server.requests).toHaveLength(1)
  })

  // Issue 8 §2: timeout 400 ms, 5 attempts of 200 ms each on 500, an upstream answering 500 after
  // 100 ms. Envoy answers 504 (its global timeout fires while it retries), whatever the jitter drew.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`answers 504 timeout, never the last 500, when the route timeout ends a call that keeps failing (seed ${seed})`, async () => {
      const clock = new FakeClock()
      const server = await upstream({
        fallback: async (_request, response) => {
          await new Promise<void>((resolve) => clock.setTimeout(resolve, 100))
          response.writeHead(500).end('boom')
        },
      })
      const m = await mesh({
        clock,
        random: seededRandom(seed),
        yaml: backendRules('    timeout: 400ms\n    retries: { attempts: 5, perTryTimeout: 200ms, retryOn: "500" }'),
        endpoints: { backend: [at(server)] },
      })
      const answer = await drive(clock, m.fetch('http://backend/'))
      expect(await settle(answer)).toMatchObject({ status: 504, reason: 'timeout' })
      expect(clock.now()).toBeLessThanOrEqual(400 + 5)
      expect(server.requests.length).toBeGreaterThanOrEqual(2)
    })
  }
})

describe("a gRPC client's own grpc-timeout", () => {
  const grpc = (timeout: string) => ({ method: 'POST', body: 'x', headers: { 'content-type': 'application/grpc', 'grpc-timeout': timeout } })

  it('is the deadline of a call whose route sets no timeout, as Envoy honours it under Istio', async () => {
    const clock = new FakeClock()
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({ clock, yaml: backendRules(''), endpoints: { backend: [at(server)] } })
    const pending = m.fetch('http://backend/', grpc('250m'))
    await server.waitForRequests(1)
    await clock.tick(249)
    await clock.tick(1)
    expect(await settle(await pending)).toMatchObject({ status: 504, reason: 'timeout' })
  })

  it("is capped by the route's own shorter timeout", async () => {
    const clock = new FakeClock()
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({ clock, yaml: backendRules('    timeout: 100ms'), endpoints: { backend: [at(server)] } })
    const pending = m.fetch('http://backend/', grpc('5S'))
    await server.waitForRequests(1)
    await clock.tick(100)
    expect(await settle(await pending)).toMatchObject({ status: 504, reason: 'timeout' })
  })

  it('is not read from a request that is not gRPC', async () => {
    const clock = new FakeClock()
    const server = await upstream({
      fallback: async (_request, response) => {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 300))
        response.writeHead(200).end('late but fine')
      },
    })
    const m = await mesh({ clock, yaml: backendRules(''), endpoints: { backend: [at(server)] } })
    const answer = await drive(clock, m.fetch('http://backend/', { headers: { 'grpc-timeout': '100m' } }))
    expect(await settle(answer)).toMatchObject({ status: 200, body: 'late but fine' })
  })
})

describe('a deadline brought by the inbound request', () => {
  it('bounds the outbound call, is sent on in x-envoy-expected-rq-timeout-ms, and ends it with 504 when it passes', async () => {
    const clock = new FakeClock()
    const backend = await upstream({ fallback: { hang: true } })
    const m = await mesh({ clock, yaml: backendRules('    timeout: 5s'), endpoints: { backend: [at(backend)] } })
    const url = await frontend(m, 'http://backend/')
    const inbound = fetch(url, { headers: { 'x-envoy-expected-rq-timeout-ms': '800' } })
    await backend.waitForRequests(1)
    // The smaller of the route's 5 s and the 800 ms the caller has left.
    expect(backend.requests[0]!.headers['x-envoy-expected-rq-timeout-ms']).toBe('800')
    await clock.tick(799)
    await clock.tick(1)
    const answer = await inbound
    expect(answer.status).toBe(504)
    expect(answer.headers.get('x-meshlet-reason')).toBe('timeout')
  })

  it("lets the outbound route's own shorter timeout win", async () => {
    const clock = new FakeClock()
    const backend = await upstream({ fallback: { hang: true } })
    const m = await mesh({ clock, yaml: backendRules('    timeout: 300ms'), endpoints: { backend: [at(backend)] } })
    const url = await frontend(m, 'http://backend/')
    const inbound = fetch(url, { headers: { 'x-envoy-expected-rq-timeout-ms': '800' } })
    await backend.waitForRequests(1)
    expect(backend.requests[0]!.headers['x-envoy-expected-rq-timeout-ms']).toBe('300')
    await clock.tick(300)
    expect((await inbound).status).toBe(504)
  })

  it('keeps retries within the inbound deadline: each try is told the time left, and none starts after it', async () => {
    const clock = new FakeClock()
    const backend = await upstream({ fallback: { hang: true } })
    const m = await mesh({
      clock,
      random: () => 0.5,
      yaml: backendRules('    retries: { attempts: 5, perTryTimeout: 500ms, retryOn: reset }'),
      endpoints: { backend: [at(backend)] },
    })
    const url = await frontend(m, 'http://backend/')
    const inbound = fetch(url, { headers: { 'x-envoy-expected-rq-timeout-ms': '700' } })
    await backend.waitForRequests(1)
    await clock.tick(500)
    // random 0.5: the first backoff is 12 ms.
    await clock.tick(12)
    await backend.waitForRequests(2)
    expect(backend.requests.map((request) => request.headers['x-envoy-expected-rq-timeout-ms'])).toEqual(['500', String(700 - 512)])
    await clock.tick(700 - clock.now())
    expect((await inbound).status).toBe(504)
    for (let i = 0; i < 10; i++) await clock.tick(100)
    expect(backend.requests).toHaveLength(2)
  })
})
