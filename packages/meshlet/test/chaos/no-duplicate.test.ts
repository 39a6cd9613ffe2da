import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { at, drive, failOnEscapedErrors, maxBackoffMs, mesh, recordEvents, refusing, refusingPort, settle, upstream } from './support.js'

// Where Envoy would not retry, a request is sent once: a non-idempotent POST must never reach the
// upstream twice because of the mesh (reference §6.3, §6.4, §18.1).

failOnEscapedErrors()

function routeWith(retries: string, extra = ''): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: payments }
spec:
  hosts: [payments]
  http:
  - route: [{ destination: { host: payments } }]
    retries: ${retries}
${extra}
`
}

describe("Istio's default retry policy (no VirtualService)", () => {
  it('sends each POST answered 503 exactly once, across several endpoints', async () => {
    const servers = await Promise.all(['p1', 'p2', 'p3'].map((name) => upstream({ name, fallback: { status: 503, body: 'busy' } })))
    const m = await mesh({ random: seededRandom(2), endpoints: { payments: servers.map((server) => at(server)) } })
    const events = recordEvents(m, ['retry'])
    for (let i = 0; i < 12; i++) {
      expect(await settle(await m.fetch('http://payments/charge', { method: 'POST', body: `charge ${i}` }))).toMatchObject({ status: 503, reason: null, body: 'busy' })
    }
    const bodies = servers.flatMap((server) => server.requests.map((request) => request.body)).sort()
    expect(bodies).toEqual(Array.from({ length: 12 }, (_, i) => `charge ${i}`).sort())
    expect(events.retry).toEqual([])
  })
})

describe('a connection reset after the request was sent', () => {
  it('is not retried under retryOn connect-failure: the POST reached the upstream once and the caller gets 503 reset', async () => {
    const clock = new FakeClock()
    const [resetting, spare] = await Promise.all([upstream({ name: 'resetting', fallback: { reset: 'before-headers' } }), upstream({ name: 'spare' })])
    const m = await mesh({ clock, random: seededRandom(1), yaml: routeWith('{ attempts: 3, retryOn: connect-failure }'), endpoints: { payments: [at(resetting), at(spare)] } })
    const events = recordEvents(m, ['retry', 'request'])
    const replies = []
    for (let i = 0; i < 6; i++) replies.push(await settle(await drive(clock, m.fetch('http://payments/charge', { method: 'POST', body: `charge ${i}` }))))
    const reset = replies.filter((reply) => reply.status === 503)
    expect(reset.length).toBe(resetting.requests.length)
    expect(reset.every((reply) => reply.reason === 'reset')).toBe(true)
    expect(resetting.requests.length + spare.requests.length).toBe(6)
    expect(events.retry).toEqual([])
    expect(events.request.every((event) => event.tries === 1)).toBe(true)
  })

  it('is not retried under reset-before-request, while a refused connection (nothing sent) is', async () => {
    const clock = new FakeClock()
    const resetting = await upstream({ name: 'resetting', fallback: { reset: 'before-headers' } })
    const good = await upstream({ name: 'good' })
    const refused = await refusingPort()

    const afterSend = await mesh({ clock, random: seededRandom(1), yaml: routeWith('{ attempts: 2, retryOn: reset-before-request }'), endpoints: { payments: [at(resetting)] } })
    expect(await settle(await drive(clock, afterSend.fetch('http://payments/', { method: 'POST', body: 'once' })))).toMatchObject({ status: 503, reason: 'reset' })
    expect(resetting.requests).toHaveLength(1)

    const beforeSend = await mesh({ clock, random: seededRandom(1), yaml: routeWith('{ attempts: 2, retryOn: reset-before-request }'), endpoints: { payments: [refusing(refused), at(good)] } })
    const events = recordEvents(beforeSend, ['retry'])
    for (let i = 0; i < 4; i++) expect((await settle(await drive(clock, beforeSend.fetch('http://payments/', { method: 'POST', body: `p${i}` })))).status).toBe(200)
    expect(good.requests.map((request) => request.body)).toEqual(['p0', 'p1', 'p2', 'p3'])
    expect(events.retry.length).toBeGreaterThan(0)
    expect(events.retry.every((event) => event.outcome === 'connect-failure')).toBe(true)
  })
})

describe('a request body larger than the replay buffer', () => {
  it('is sent once even when retryOn would allow a retry, and giveUp says body-too-large', async () => {
    const clock = new FakeClock()
    const server = await upstream({ keepBodies: false, fallback: { status: 503, body: 'unavailable' } })
    const m = await mesh({ clock, random: seededRandom(1), yaml: routeWith('{ attempts: 3, retryOn: "5xx" }'), endpoints: { payments: [at(server)] } })
    const events = recordEvents(m, ['retry', 'giveUp'])
    const chunk = new Uint8Array(256 * 1024).fill(0x61)
    async function* upload() {
      // 1.25 MiB: past Envoy's 1 MiB default buffer limit, which meshlet uses for replay.
      for (let i = 0; i < 5; i++) yield chunk
    }
    const pending = m.fetch('http://payments/upload', { method: 'PUT', body: upload() as never, duplex: 'half' } as RequestInit)
    expect(await settle(await drive(clock, pending))).toMatchObject({ status: 503, body: 'unavailable' })
    expect(server.requests.map((request) => request.bodyBytes)).toEqual([5 * 256 * 1024])
    expect(events.retry).toEqual([])
    expect(events.giveUp).toMatchObject([{ reason: 'body-too-large', tries: 1, method: 'PUT', outcome: '503' }])
  })

  it('is sent once as bytes too, while a body within the limit is replayed', async () => {
    const clock = new FakeClock()
    const server = await upstream({ keepBodies: false, fallback: { status: 503 } })
    const m = await mesh({ clock, random: seededRandom(1), yaml: routeWith('{ attempts: 1, retryOn: "5xx" }'), endpoints: { payments: [at(server)] } })
    const events = recordEvents(m, ['giveUp'])
    await settle(await drive(clock, m.fetch('http://payments/', { method: 'POST', body: new Uint8Array(1_048_577) })))
    expect(server.requests).toHaveLength(1)
    await settle(await drive(clock, m.fetch('http://payments/', { method: 'POST', body: new Uint8Array(1_048_576) })))
    expect(server.requests.map((request) => request.bodyBytes)).toEqual([1_048_577, 1_048_576, 1_048_576])
    expect(events.giveUp.map((event) => event.reason)).toEqual(['body-too-large', 'attempts-exhausted'])
  })
})

describe('a request whose route timeout fired', () => {
  it('never retries a request whose route timeout fired, however many attempts the route allows', async () => {
    const clock = new FakeClock()
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({ clock, random: seededRandom(1), yaml: routeWith('{ attempts: 5, retryOn: "5xx,reset,gateway-error" }', '    timeout: 2s'), endpoints: { payments: [at(server)] } })
    const pending = m.fetch('http://payments/', { method: 'POST', body: 'once' })
    await server.waitForRequests(1)
    await clock.tick(2_000)
    expect(await settle(await pending)).toMatchObject({ status: 504, reason: 'timeout' })
    // Time moves on; no retry wakes up.
    for (let i = 0; i < 5; i++) await clock.tick(maxBackoffMs(5))
    expect(server.requests).toHaveLength(1)
  })
})
