import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import type { Mesh } from 'meshlet'
import { at, drive, failOnEscapedErrors, mesh, recordEvents, settle, upstream } from './support.js'

// Connection pool limits and retry limits (reference §6.3, §13): overflow is answered at once,
// locally, and never retried; the retry budget and http.maxRetries keep a failing dependency from
// receiving a multiple of the traffic.

failOnEscapedErrors()

/** Resolves once `condition` holds, checking after each turn of the event loop (I/O included). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}

function rules(trafficPolicy: string, retries = '{ attempts: 2, retryOn: "5xx" }'): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: dep }
spec:
  hosts: [dep]
  http:
  - route: [{ destination: { host: dep } }]
    retries: ${retries}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: dep }
spec:
  host: dep
  trafficPolicy: ${trafficPolicy}
`
}

describe('connection pool overflow', () => {
  it('answers at once with 503 overflow and x-envoy-overloaded, never retries it and never ejects for it', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const server = await upstream({ fallback: { status: 200, body: 'done', until: gate } })
    const m = await mesh({
      clock: new FakeClock(),
      yaml: rules(
        '{ connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } }, outlierDetection: { consecutive5xxErrors: 1, consecutiveGatewayErrors: 1 } }',
        '{ attempts: 3, retryOn: "5xx,gateway-error,reset,connect-failure" }',
      ),
      endpoints: { dep: [at(server)] },
    })
    const events = recordEvents(m, ['overflow', 'retry', 'endpointEjected'])
    const admitted = [m.fetch('http://dep/1'), m.fetch('http://dep/2')]
    await server.waitForRequests(1)
    // The upstream is still holding the first call: these are answered without waiting for it.
    const overflowed = await Promise.all([3, 4, 5, 6].map(async (i) => {
      const response = await m.fetch(`http://dep/${i}`)
      return { ...(await settle(response)), overloaded: response.headers.get('x-envoy-overloaded') }
    }))
    expect(overflowed).toEqual(Array(4).fill({ status: 503, reason: 'overflow', overloaded: 'true', body: expect.stringContaining('overflow') }))
    expect(events.overflow).toHaveLength(4)
    expect(events.overflow.every((event) => event.limit === 'pending' && event.activeRequests === 1 && event.pendingRequests === 1)).toBe(true)
    release()
    expect(await Promise.all(admitted.map(async (pending) => (await settle(await pending)).body))).toEqual(['done', 'done'])
    expect(server.requests.map((request) => request.path)).toEqual(['/1', '/2'])
    expect(events.retry).toEqual([])
    expect(events.endpointEjected).toEqual([])
  })
})

describe('a dependency failing every request', () => {
  /** Sends `calls` concurrent calls to an upstream that answers 503 to everything; returns upstream tries per call. */
  async function amplification(trafficPolicy: string, calls: number): Promise<{ perCall: number; m: Mesh; events: ReturnType<typeof recordEvents<'retry' | 'giveUp'>> }> {
    const clock = new FakeClock()
    const server = await upstream({ fallback: { status: 503 } })
    // A fixed random: every first retry waits 12 ms, so retries hold their slots while the clock stands still.
    const m = await mesh({ clock, random: () => 0.5, yaml: rules(trafficPolicy), endpoints: { dep: [at(server)] } })
    const events = recordEvents(m, ['retry', 'giveUp'])
    const pending = Promise.all(Array.from({ length: calls }, () => m.fetch('http://dep/').then(settle)))
    // Every first try has been answered and decided before time moves.
    await until(() => events.retry.length + events.giveUp.length >= calls)
    const statuses = (await drive(clock, pending)).map((reply) => reply.status)
    expect(statuses).toEqual(Array(calls).fill(503))
    return { perCall: server.requests.length / calls, m, events }
  }

  it('triples the traffic without a retry budget (attempts: 2)', async () => {
    const { perCall, events } = await amplification('{ loadBalancer: { simple: ROUND_ROBIN } }', 20)
    expect(perCall).toBe(3)
    expect(events.giveUp.every((event) => event.reason === 'attempts-exhausted')).toBe(true)
  })

  it('stays near one try per call with retryBudget (20 %, minRetryConcurrency 1)', async () => {
    const { perCall, events } = await amplification('{ retryBudget: { percent: 20, minRetryConcurrency: 1 } }', 20)
    // At most 20 % of the 20 calls in flight may be retrying at once: 4 of the first 20 decisions.
    const firstWave = events.retry.filter((event) => event.retry === 1)
    expect(firstWave.length).toBeGreaterThanOrEqual(1)
    expect(firstWave.length).toBeLessThanOrEqual(4)
    expect(events.giveUp.filter((event) => event.reason === 'budget-exhausted').length).toBeGreaterThanOrEqual(16)
    expect(perCall).toBeLessThanOrEqual(1.2)
  })

  it('lets one retry run at a time across the cluster with http.maxRetries: 1', async () => {
    const { perCall, events } = await amplification('{ connectionPool: { http: { maxRetries: 1 } } }', 10)
    // One call retried while nine were refused; that call then used its second retry as well.
    expect(events.retry.map((event) => event.retry)).toEqual([1, 2])
    expect(events.giveUp.filter((event) => event.reason === 'budget-exhausted')).toHaveLength(9)
    expect(perCall).toBe(12 / 10)
  })
})
