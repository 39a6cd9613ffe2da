import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { at, drive, echo, failOnEscapedErrors, maxBackoffMs, mesh, recordEvents, refusing, refusingPort, settle, upstream } from './support.js'

// Where Envoy would retry, no caller request is lost: refused connections, resets, 503 bursts and
// hung or slow tries are retried as the route's retryOn says (reference §6.2, §6.3, §6.5).

failOnEscapedErrors()

function svcRules(retries: string, trafficPolicy = '{ loadBalancer: { simple: ROUND_ROBIN } }'): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - route: [{ destination: { host: svc } }]
    retries: ${retries}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy: ${trafficPolicy}
`
}

describe('an endpoint that refuses connections', () => {
  it('loses no call across three endpoints with retryOn connect-failure,reset, and each call tries the refusing one at most once', async () => {
    const clock = new FakeClock()
    const [a, b] = await Promise.all([upstream({ name: 'a' }), upstream({ name: 'b' })])
    const dead = await refusingPort()
    const m = await mesh({
      clock,
      random: seededRandom(11),
      yaml: svcRules('{ attempts: 2, retryOn: "connect-failure,reset" }'),
      endpoints: { svc: [at(a), refusing(dead), at(b)] },
    })
    const events = recordEvents(m, ['retry', 'giveUp', 'request'])

    const calls = 30
    const statuses: number[] = []
    for (let i = 0; i < calls; i++) statuses.push((await settle(await drive(clock, m.fetch(`http://svc/${i}`, { method: 'POST', body: `order ${i}` })))).status)

    expect(statuses).toEqual(Array(calls).fill(200))
    // Every call reached exactly one live endpoint, once.
    const delivered = [...a.requests, ...b.requests].map((request) => request.body).sort()
    expect(delivered).toEqual(Array.from({ length: calls }, (_, i) => `order ${i}`).sort())
    // Round robin sends a third of first tries to the refusing endpoint; each of those is retried
    // once, on an endpoint not tried yet (previous hosts are avoided), and nothing gives up.
    const refused = events.retry.filter((event) => event.outcome === 'connect-failure')
    expect(refused.length).toBeGreaterThanOrEqual(calls / 3 - 1)
    expect(refused.length).toBe(events.retry.length)
    expect(events.giveUp).toEqual([])
    expect(Math.max(...events.request.map((event) => event.tries))).toBe(2)
    expect(events.request.reduce((sum, event) => sum + event.tries, 0)).toBe(calls + refused.length)
  })

  it('sends each retry to an endpoint not tried yet under the default balancer, so two refusing endpoints out of three lose nothing', async () => {
    const clock = new FakeClock()
    const good = await upstream({ name: 'good' })
    const [dead1, dead2] = await Promise.all([refusingPort(), refusingPort()])
    // No DestinationRule: Istio's default LEAST_REQUEST balancer, and Istio's default retry policy
    // (2 retries on connect-failure, previous hosts avoided).
    const m = await mesh({ clock, random: seededRandom(4), endpoints: { svc: [refusing(dead1), refusing(dead2), at(good)] } })
    const events = recordEvents(m, ['request', 'giveUp'])
    for (let i = 0; i < 20; i++) expect((await settle(await drive(clock, m.fetch('http://svc/', { method: 'POST', body: `p${i}` })))).status).toBe(200)
    expect(good.requests).toHaveLength(20)
    expect(events.giveUp).toEqual([])
    expect(events.request.some((event) => event.tries === 3)).toBe(true)
  })

  it('answers 503 connect-failure once every endpoint refused and the attempts are spent', async () => {
    const clock = new FakeClock()
    const [one, two] = await Promise.all([refusingPort(), refusingPort()])
    const m = await mesh({ clock, random: seededRandom(3), yaml: svcRules('{ attempts: 3, retryOn: connect-failure }'), endpoints: { svc: [refusing(one), refusing(two)] } })
    const events = recordEvents(m, ['retry', 'giveUp'])
    const reply = await settle(await drive(clock, m.fetch('http://svc/')))
    expect(reply).toMatchObject({ status: 503, reason: 'connect-failure' })
    expect(reply.body).toContain('connection failure')
    expect(events.retry.map((event) => event.retry)).toEqual([1, 2, 3])
    expect(events.giveUp).toMatchObject([{ reason: 'attempts-exhausted', tries: 4, outcome: 'connect-failure' }])
  })
})

describe('an endpoint that resets connections after reading the request', () => {
  it('loses no call with retryOn reset: each reset try is sent again elsewhere', async () => {
    const clock = new FakeClock()
    const [flaky, good1, good2] = await Promise.all([
      upstream({ name: 'flaky', fallback: { reset: 'before-headers' } }),
      upstream({ name: 'good1' }),
      upstream({ name: 'good2' }),
    ])
    const m = await mesh({ clock, random: seededRandom(7), yaml: svcRules('{ attempts: 2, retryOn: reset }'), endpoints: { svc: [at(flaky), at(good1), at(good2)] } })
    const events = recordEvents(m, ['retry'])
    const calls = 24
    const replies = []
    for (let i = 0; i < calls; i++) replies.push(await drive(clock, m.fetch(`http://svc/${i}`)).then(echo))
    expect(replies.every((reply) => reply.upstream.startsWith('good'))).toBe(true)
    expect(good1.requests.length + good2.requests.length).toBe(calls)
    expect(flaky.requests.length).toBeGreaterThan(0)
    expect(events.retry.filter((event) => event.outcome === 'reset')).toHaveLength(flaky.requests.length)
  })
})

describe('an endpoint that resets the connection in the middle of an upload', () => {
  it('sends the whole streamed body again, in order, on the retry', async () => {
    const clock = new FakeClock()
    const cutter = await upstream({
      name: 'cutter',
      readBody: false,
      fallback: (_request, _response, incoming) => void incoming.once('data', () => incoming.socket.destroy()),
    })
    const good = await upstream({ name: 'good' })
    const m = await mesh({ clock, random: seededRandom(1), yaml: svcRules('{ attempts: 1, retryOn: reset }'), endpoints: { svc: [at(cutter), at(good)] } })
    const events = recordEvents(m, ['retry'])
    const parts = ['first part|', 'second part|', 'third part|', 'last part']
    async function* upload() {
      for (const part of parts) {
        yield new TextEncoder().encode(part)
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const reply = await drive(clock, m.fetch('http://svc/upload', { method: 'PUT', body: upload() as never, duplex: 'half' } as RequestInit))
    expect(reply.status).toBe(200)
    await reply.arrayBuffer()
    expect(events.retry).toMatchObject([{ outcome: 'reset' }])
    expect(cutter.requests).toHaveLength(1)
    expect(good.requests.map((request) => request.body)).toEqual([parts.join('')])
  })
})

describe('an endpoint answering 503 in bursts', () => {
  it('delivers every call when a burst is shorter than the attempts, replaying the same body on each try', async () => {
    const clock = new FakeClock()
    const burst = [503, 503, { status: 200, body: 'accepted' }] as const
    const server = await upstream({ answers: Array.from({ length: 10 }, () => burst).flat() })
    const m = await mesh({ clock, random: seededRandom(5), yaml: svcRules('{ attempts: 2, retryOn: "5xx" }'), endpoints: { svc: [at(server)] } })
    for (let i = 0; i < 10; i++) {
      const reply = await settle(await drive(clock, m.fetch('http://svc/pay', { method: 'POST', body: `payment ${i}` })))
      expect(reply).toMatchObject({ status: 200, body: 'accepted' })
    }
    expect(server.requests).toHaveLength(30)
    expect(server.requests.map((request) => request.body)).toEqual(Array.from({ length: 10 }, (_, i) => Array(3).fill(`payment ${i}`)).flat())
  })

  it("returns the upstream's own 503 when a burst outlasts the attempts, and says the attempts ran out", async () => {
    const clock = new FakeClock()
    const server = await upstream({ answers: [503, 503, 503, 503] })
    const m = await mesh({ clock, random: seededRandom(5), yaml: svcRules('{ attempts: 2, retryOn: gateway-error }'), endpoints: { svc: [at(server)] } })
    const events = recordEvents(m, ['giveUp'])
    const reply = await settle(await drive(clock, m.fetch('http://svc/')))
    // The upstream's answer, not a local reply: no x-meshlet-reason.
    expect(reply).toMatchObject({ status: 503, reason: null })
    expect(server.requests).toHaveLength(3)
    expect(events.giveUp).toMatchObject([{ reason: 'attempts-exhausted', tries: 3, outcome: '503' }])
  })
})

describe('an endpoint that hangs or answers too slowly', () => {
  it('cuts a hung try at perTryTimeout and retries it elsewhere under retryOn reset', async () => {
    const clock = new FakeClock()
    const [hung, good] = await Promise.all([upstream({ name: 'hung', fallback: { hang: true } }), upstream({ name: 'good' })])
    const m = await mesh({
      clock,
      random: seededRandom(1),
      yaml: svcRules('{ attempts: 2, perTryTimeout: 1s, retryOn: reset }'),
      // Round robin starts where the seed says: with seed 1 the first try goes to the hung endpoint.
      endpoints: { svc: [at(hung), at(good)] },
    })
    const events = recordEvents(m, ['retry', 'timeout'])
    const pending = m.fetch('http://svc/')
    await hung.waitForRequests(1)
    await clock.tick(1_000)
    await clock.tick(maxBackoffMs(1))
    expect((await echo(await pending)).upstream).toBe('good')
    expect(events.timeout).toMatchObject([{ kind: 'per-try', timeoutMs: 1_000 }])
    expect(events.retry).toMatchObject([{ retry: 1, outcome: 'per-try-timeout' }])
    expect(hung.requests).toHaveLength(1)
    expect(good.requests).toHaveLength(1)
  })

  it('does not retry a per-try timeout under retryOn connect-failure: the caller gets 504', async () => {
    const clock = new FakeClock()
    const [hung, good] = await Promise.all([upstream({ name: 'hung', fallback: { hang: true } }), upstream({ name: 'good' })])
    const m = await mesh({ clock, random: seededRandom(1), yaml: svcRules('{ attempts: 2, perTryTimeout: 1s, retryOn: connect-failure }'), endpoints: { svc: [at(hung), at(good)] } })
    const pending = m.fetch('http://svc/')
    await hung.waitForRequests(1)
    await clock.tick(1_000)
    expect(await settle(await pending)).toMatchObject({ status: 504, reason: 'per-try-timeout' })
    expect(good.requests).toHaveLength(0)
  })

  it('drops the late answer of a slow try that was retried: the caller reads only the retry', async () => {
    const clock = new FakeClock()
    let release!: () => void
    const late = new Promise<void>((resolve) => (release = resolve))
    const [slow, fast] = await Promise.all([
      upstream({ name: 'slow', fallback: { status: 200, body: 'too late', until: late } }),
      upstream({ name: 'fast', fallback: { status: 200, body: 'in time' } }),
    ])
    const m = await mesh({ clock, random: seededRandom(1), yaml: svcRules('{ attempts: 1, perTryTimeout: 500ms, retryOn: "5xx" }'), endpoints: { svc: [at(slow), at(fast)] } })
    const pending = m.fetch('http://svc/')
    await slow.waitForRequests(1)
    await clock.tick(500)
    await clock.tick(maxBackoffMs(1))
    const reply = await settle(await pending)
    release()
    expect(reply).toMatchObject({ status: 200, body: 'in time' })
    expect(fast.requests).toHaveLength(1)
  })
})
