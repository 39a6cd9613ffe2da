import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { Mesh } from 'meshlet'
import { at, echo, mesh, upstream } from './helpers.js'

/** Moves the fake clock forward whenever a timer is waiting, until `pending` settles (backoffs, timeouts). */
async function drive<T>(clock: FakeClock, pending: Promise<T>, stepMs = 1_000): Promise<T> {
  let done = false
  const result = pending.finally(() => (done = true))
  while (!done) {
    await Promise.race([clock.whenTimers(1), result.catch(() => undefined)])
    if (!done) await clock.tick(stepMs)
  }
  return result
}

async function deadPort(): Promise<number> {
  const server = await upstream()
  const port = server.port
  await server.close()
  return port
}

function retryCount(m: Mesh): { count: number } {
  const seen = { count: 0 }
  m.on('retry', () => (seen.count += 1))
  return seen
}

describe('retries', () => {
  it("retries a connect failure on another endpoint with Istio's default policy when the host has no VirtualService", async () => {
    const clock = new FakeClock()
    const alive = await upstream({ name: 'alive' })
    const dead = await deadPort()
    const m = await mesh({
      clock,
      random: seededRandom(5),
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
`,
      endpoints: { svc: [{ address: '127.0.0.1', port: dead }, at(alive)] },
    })
    const retries = retryCount(m)
    for (let i = 0; i < 4; i++) {
      const response = await drive(clock, m.fetch('http://svc/'))
      expect(response.status).toBe(200)
      expect((await echo(response)).upstream).toBe('alive')
    }
    expect(retries.count).toBeGreaterThan(0)
  })

  it("does not retry a 503 under Istio's default policy (since 1.24)", async () => {
    const server = await upstream({ answers: [503, 200] })
    const m = await mesh({ endpoints: { svc: [at(server)] } })
    expect((await m.fetch('http://svc/', { method: 'POST', body: 'pay once' })).status).toBe(503)
    expect(server.requests).toHaveLength(1)
  })

  it('retries 5xx answers as the route says, and replays the body', async () => {
    const clock = new FakeClock()
    const server = await upstream({ answers: [503, 500, { status: 200, body: 'third time' }] })
    const m = await mesh({
      clock,
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - route: [{ destination: { host: svc } }]
    retries: { attempts: 2, retryOn: 5xx }
`,
      endpoints: { svc: [at(server)] },
    })
    async function* body() {
      yield Buffer.from('streamed ')
      yield Buffer.from('payload')
    }
    const response = await drive(clock, m.fetch('http://svc/', { method: 'PUT', body: body() as never, duplex: 'half' } as RequestInit))
    expect(await response.text()).toBe('third time')
    expect(server.requests.map((r) => r.body)).toEqual(['streamed payload', 'streamed payload', 'streamed payload'])
  })

  it('gives each try its per-try timeout and retries a timed-out try under gateway-error', async () => {
    const clock = new FakeClock()
    const server = await upstream({ answers: [{ hang: true }, { status: 200, body: 'second try' }] })
    const m = await mesh({
      clock,
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - route: [{ destination: { host: svc } }]
    retries: { attempts: 1, perTryTimeout: 2s, retryOn: gateway-error }
`,
      endpoints: { svc: [at(server)] },
    })
    const pending = m.fetch('http://svc/')
    await server.waitForRequests(1)
    const response = await drive(clock, pending)
    expect(await response.text()).toBe('second try')
    expect(server.requests[0]!.headers['x-envoy-expected-rq-timeout-ms']).toBe('2000')
  })
})

describe('outlier detection', () => {
  it('ejects an endpoint after consecutive 5xx and sends the next calls to the others', async () => {
    const [bad, good] = await Promise.all([upstream({ name: 'bad', fallback: { status: 500 } }), upstream({ name: 'good' })])
    const m = await mesh({
      random: seededRandom(9),
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 2, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 }
`,
      endpoints: { svc: [at(bad), at(good)] },
    })
    const ejected: string[] = []
    m.on('endpointEjected', (event) => ejected.push(event.endpoint))
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      const response = await m.fetch('http://svc/')
      await response.arrayBuffer()
      statuses.push(response.status)
    }
    expect(ejected).toEqual([bad.authority])
    expect(bad.requests).toHaveLength(2)
    expect(statuses.slice(-5)).toEqual([200, 200, 200, 200, 200])
  })
})

describe('connection pool limits', () => {
  it('answers 503 overflow with x-envoy-overloaded when the pending queue is full, and never retries it', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const server = await upstream({
      fallback: async (_request, response) => {
        await gate
        response.end('ok')
      },
    })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } }
`,
      endpoints: { svc: [at(server)] },
    })
    const first = m.fetch('http://svc/1')
    await server.waitForRequests(1)
    const second = m.fetch('http://svc/2')
    const third = await m.fetch('http://svc/3')
    expect(third.status).toBe(503)
    expect(third.headers.get('x-meshlet-reason')).toBe('overflow')
    expect(third.headers.get('x-envoy-overloaded')).toBe('true')
    release()
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
    expect(server.requests).toHaveLength(2)
  })
})

describe('error-ratio circuit breaker (meshlet.io/circuit-breaker)', () => {
  it('opens after enough failures and answers 503 circuit-open without calling the upstream', async () => {
    const server = await upstream({ fallback: { status: 500 } })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc
  annotations:
    meshlet.io/circuit-breaker: "errorThresholdPercentage: 50\\nvolumeThreshold: 4\\nresetTimeout: 30s"
spec:
  host: svc
`,
      endpoints: { svc: [at(server)] },
    })
    const opened = new Promise((resolve) => m.once('circuitOpened', resolve))
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      const response = await m.fetch('http://svc/')
      await response.arrayBuffer()
      statuses.push(response.status)
      if (response.headers.get('x-meshlet-reason') === 'circuit-open') break
    }
    await opened
    expect(statuses.at(-1)).toBe(503)
    expect(server.requests.length).toBeLessThan(statuses.length)
  })
})
