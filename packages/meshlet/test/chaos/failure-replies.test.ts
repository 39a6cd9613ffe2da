import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { at, drive, failOnEscapedErrors, mesh, refusing, refusingPort, settle, upstream } from './support.js'

// Every failure reaches the caller as a Response with Envoy's status and x-meshlet-reason naming
// the cause (503 connect failure / reset / no healthy upstream / overflow with x-envoy-overloaded /
// open circuit, 504 timeout), or, once headers were passed on, as an error of the body stream:
// never as a rejected fetch or an unhandled rejection (reference §6, §13, §14).

failOnEscapedErrors()

const rules = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: slow }
spec:
  hosts: [slow]
  http:
  - route: [{ destination: { host: slow } }]
    timeout: 1s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: picky }
spec:
  hosts: [picky]
  http:
  - match: [{ uri: { prefix: /known } }]
    route: [{ destination: { host: picky } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ejected }
spec:
  host: ejected
  trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: busy }
spec:
  host: busy
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: tripped
  annotations:
    meshlet.io/circuit-breaker: "{ errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeout: 30s }"
spec:
  host: tripped
`

describe('a burst of calls to failing destinations', () => {
  it('answers each with its status and reason, and no call rejects', async () => {
    const clock = new FakeClock()
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const [resets, hangs, fails, holds, errs] = await Promise.all([
      upstream({ name: 'resets', fallback: { reset: 'before-headers' } }),
      upstream({ name: 'hangs', fallback: { hang: true } }),
      upstream({ name: 'fails', fallback: { status: 500 } }),
      upstream({ name: 'holds', fallback: { status: 200, body: 'held', until: gate } }),
      upstream({ name: 'errs', fallback: { status: 500 } }),
    ])
    const dead = await refusingPort()
    const m = await mesh({
      clock,
      random: seededRandom(8),
      yaml: rules,
      endpoints: {
        refused: [refusing(dead)],
        resets: [at(resets)],
        slow: [at(hangs)],
        ejected: [at(fails)],
        busy: [at(holds)],
        tripped: [at(errs)],
        picky: [at(resets)],
      },
    })
    // Teach the mesh what it needs to know first: one 500 ejects the only `ejected` endpoint, two
    // 500s open the `tripped` circuit.
    expect((await settle(await m.fetch('http://ejected/'))).status).toBe(500)
    for (let i = 0; i < 2; i++) await settle(await m.fetch('http://tripped/'))
    // The first `busy` call holds the only connection and the second waits: the rest overflow.
    const holding = [m.fetch('http://busy/'), m.fetch('http://busy/')]
    await holds.waitForRequests(1)

    const expected: Record<string, { status: number; reason: string; extra?: Record<string, string> }> = {
      'http://refused/': { status: 503, reason: 'connect-failure' },
      'http://resets/': { status: 503, reason: 'reset' },
      'http://slow/': { status: 504, reason: 'timeout' },
      'http://ejected/': { status: 503, reason: 'no-healthy-upstream' },
      'http://busy/': { status: 503, reason: 'overflow', extra: { 'x-envoy-overloaded': 'true' } },
      'http://tripped/': { status: 503, reason: 'circuit-open' },
      'http://picky/unknown': { status: 404, reason: 'no-route' },
    }
    const urls = Object.keys(expected).flatMap((url) => Array<string>(5).fill(url))
    const outcomes = await drive(clock, Promise.allSettled(urls.map((url) => m.fetch(url).then(async (response) => ({ url, headers: response.headers, ...(await settle(response)) })))))

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([])
    for (const outcome of outcomes) {
      const { url, status, reason, headers } = (outcome as PromiseFulfilledResult<{ url: string; status: number; reason: string | null; headers: Headers }>).value
      const want = expected[url]!
      expect({ url, status, reason }).toEqual({ url, status: want.status, reason: want.reason })
      for (const [name, value] of Object.entries(want.extra ?? {})) expect(headers.get(name)).toBe(value)
    }
    // The overflowed, ejected and tripped calls never reached their upstreams.
    expect(holds.requests).toHaveLength(1)
    expect(fails.requests).toHaveLength(1)
    expect(errs.requests).toHaveLength(2)
    release()
    expect(await Promise.all(holding.map(async (pending) => (await settle(await pending)).body))).toEqual(['held', 'held'])
  })
})

describe('an upstream that breaks off in the middle of the body', () => {
  it('passes the headers on and then errors the body stream; retries do not apply once headers arrived', async () => {
    const server = await upstream({ answers: [{ reset: 'after-headers' }] })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - route: [{ destination: { host: svc } }]
    timeout: 10s
    retries: { attempts: 3, retryOn: "5xx,reset" }
`,
      endpoints: { svc: [at(server)] },
    })
    const response = await m.fetch('http://svc/')
    expect(response.status).toBe(200)
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe('partial')
    await expect(reader.read()).rejects.toThrow()
    expect(server.requests).toHaveLength(1)
  })

  it('gives the connection slot back, so the next call under maxConnections 1 goes through', async () => {
    const server = await upstream({ answers: [{ reset: 'after-headers' }, { reset: 'after-headers' }] })
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
    for (let i = 0; i < 2; i++) {
      const broken = await m.fetch('http://svc/')
      await expect(broken.text()).rejects.toThrow()
    }
    expect(await settle(await m.fetch('http://svc/'))).toMatchObject({ status: 200 })
    expect(server.requests).toHaveLength(3)
  })

  it('lets a caller walk away from a large download halfway without harm to later calls', async () => {
    const server = await upstream({ answers: [{ streamBytes: 8 * 1024 * 1024, chunkBytes: 16 * 1024 }] })
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
    const download = await m.fetch('http://svc/big')
    const reader = download.body!.getReader()
    await reader.read()
    await reader.cancel()
    expect(await settle(await m.fetch('http://svc/small'))).toMatchObject({ status: 200 })
  })
})

describe('a caller that gives up', () => {
  it('rejects with its own abort reason during a retry backoff, as fetch does, and sends no further try', async () => {
    const clock = new FakeClock()
    const server = await upstream({ fallback: { status: 503 } })
    const m = await mesh({
      clock,
      random: () => 0.99,
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - route: [{ destination: { host: svc } }]
    retries: { attempts: 3, retryOn: "5xx" }
`,
      endpoints: { svc: [at(server)] },
    })
    const controller = new AbortController()
    const pending = m.fetch('http://svc/', { signal: controller.signal })
    await server.waitForRequests(1)
    // The first retry waits its backoff (about 24 ms with this random); the caller aborts meanwhile.
    await clock.whenTimers(1)
    controller.abort(new Error('caller left'))
    await expect(pending).rejects.toThrow('caller left')
    await clock.tick(1_000)
    expect(server.requests).toHaveLength(1)
  })
})
