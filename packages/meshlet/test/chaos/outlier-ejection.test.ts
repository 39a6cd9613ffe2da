import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { Mesh } from 'meshlet'
import type { Upstream } from '@meshlet/testing'
import { at, drive, echo, failOnEscapedErrors, mesh, recordEvents, refusing, refusingPort, settle, upstream } from './support.js'

// Envoy's outlier detection through the whole mesh (reference §14): inline ejection when the
// consecutive-error threshold is hit, no traffic to the ejected endpoint, return at the first sweep
// after base ejection time × ejections, maxEjectionPercent keeping hosts in. Time is a fake clock.

failOnEscapedErrors()

function rules(outlierDetection: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: ${outlierDetection}
`
}

/** Sends `count` calls one after another and returns the upstream names that answered. */
async function calls(m: Mesh, count: number): Promise<string[]> {
  const names: string[] = []
  for (let i = 0; i < count; i++) {
    const response = await m.fetch('http://svc/')
    names.push(response.headers.get('x-upstream') ?? `${response.status} ${response.headers.get('x-meshlet-reason')}`)
    await response.arrayBuffer()
  }
  return names
}

function countOf(names: readonly string[], name: string): number {
  return names.filter((each) => each === name).length
}

describe('consecutive 5xx ejection', () => {
  it('ejects after the configured errors, sends it nothing while out, and lets it back after the ejection time', async () => {
    const clock = new FakeClock()
    const [bad, good1, good2] = await Promise.all([
      upstream({ name: 'bad', fallback: { status: 500 } }),
      upstream({ name: 'good1' }),
      upstream({ name: 'good2' }),
    ])
    const m = await mesh({
      clock,
      random: seededRandom(21),
      yaml: rules('{ consecutive5xxErrors: 3, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 }'),
      endpoints: { svc: [at(bad), at(good1), at(good2)] },
    })
    const events = recordEvents(m, ['endpointEjected', 'endpointReturned'])

    // Round robin: the bad endpoint gets every third call; its third 500 ejects it at once.
    const first = await calls(m, 9)
    expect(countOf(first, 'bad')).toBe(3)
    expect(events.endpointEjected).toMatchObject([{ endpoint: bad.authority, reason: 'consecutive-5xx', ejectionTimeMs: 30_000, ejections: 1, ejectedEndpoints: 1 }])

    // While it is out, it gets nothing, right up to the end of its ejection time.
    expect(countOf(await calls(m, 12), 'bad')).toBe(0)
    await clock.tick(29_999)
    expect(countOf(await calls(m, 12), 'bad')).toBe(0)
    expect(events.endpointReturned).toEqual([])
    expect(bad.requests).toHaveLength(3)

    // The sweep at 30 s returns it; it gets its share again, fails three more times and is out
    // for twice as long (base ejection time × 2 ejections).
    await clock.tick(1)
    expect(events.endpointReturned).toMatchObject([{ endpoint: bad.authority, ejectedForMs: 30_000 }])
    const back = await calls(m, 9)
    expect(countOf(back, 'bad')).toBe(3)
    expect(events.endpointEjected[1]).toMatchObject({ endpoint: bad.authority, ejectionTimeMs: 60_000, ejections: 2 })
    await clock.tick(59_999)
    expect(countOf(await calls(m, 9), 'bad')).toBe(0)
    await clock.tick(10_000)
    expect(events.endpointReturned).toHaveLength(2)
    expect(countOf(await calls(m, 9), 'bad')).toBe(3)
  })

  it('treats refused connections as gateway errors: the refusing endpoint is ejected and retries stop being needed', async () => {
    const clock = new FakeClock()
    const [a, b] = await Promise.all([upstream({ name: 'a' }), upstream({ name: 'b' })])
    const dead = await refusingPort()
    const m = await mesh({
      clock,
      random: seededRandom(6),
      yaml: rules('{ consecutive5xxErrors: 0, consecutiveGatewayErrors: 2, interval: 10s, baseEjectionTime: 60s, maxEjectionPercent: 50 }'),
      endpoints: { svc: [at(a), refusing(dead), at(b)] },
    })
    const events = recordEvents(m, ['endpointEjected', 'retry'])
    const answered: string[] = []
    for (let i = 0; i < 30; i++) answered.push((await drive(clock, m.fetch('http://svc/').then(echo))).upstream)
    expect(answered.every((name) => name === 'a' || name === 'b')).toBe(true)
    expect(events.endpointEjected).toMatchObject([{ endpoint: `127.0.0.1:${dead}`, reason: 'consecutive-gateway-errors' }])
    // Istio's default policy retried the two refused tries; after the ejection nothing needs a retry.
    expect(events.retry).toHaveLength(2)
  })
})

describe('maxEjectionPercent', () => {
  it("keeps the second of two failing endpoints out of three in with Istio's 10 % default (one may always go)", async () => {
    const [bad1, bad2, good] = await Promise.all([
      upstream({ name: 'bad1', fallback: { status: 503 } }),
      upstream({ name: 'bad2', fallback: { status: 503 } }),
      upstream({ name: 'good' }),
    ])
    const m = await mesh({ clock: new FakeClock(), random: seededRandom(3), yaml: rules('{ consecutive5xxErrors: 2, interval: 10s, baseEjectionTime: 30s }'), endpoints: { svc: [at(bad1), at(bad2), at(good)] } })
    const events = recordEvents(m, ['endpointEjected', 'ejectionSkipped'])
    const names = await calls(m, 30)
    expect(events.endpointEjected).toHaveLength(1)
    const ejected = events.endpointEjected[0]!.endpoint
    const kept: Upstream = ejected === bad1.authority ? bad2 : bad1
    expect(events.ejectionSkipped.length).toBeGreaterThan(0)
    expect(events.ejectionSkipped.every((event) => event.endpoint === kept.authority && event.ejectedEndpoints === 1)).toBe(true)
    // The kept endpoint shares the traffic with the healthy one until the end.
    expect(countOf(names.slice(-10), kept.name)).toBe(5)
  })

  it('lets every failing endpoint go with maxEjectionPercent 100, and the healthy one takes all calls', async () => {
    const [bad1, bad2, good] = await Promise.all([
      upstream({ name: 'bad1', fallback: { status: 500 } }),
      upstream({ name: 'bad2', fallback: { status: 500 } }),
      upstream({ name: 'good' }),
    ])
    const m = await mesh({ clock: new FakeClock(), random: seededRandom(3), yaml: rules('{ consecutive5xxErrors: 2, maxEjectionPercent: 100 }'), endpoints: { svc: [at(bad1), at(bad2), at(good)] } })
    const events = recordEvents(m, ['endpointEjected'])
    const names = await calls(m, 24)
    expect(events.endpointEjected.map((event) => event.endpoint).sort()).toEqual([bad1.authority, bad2.authority].sort())
    expect(names.slice(-12)).toEqual(Array(12).fill('good'))
    expect(bad1.requests.length + bad2.requests.length).toBe(4)
  })

  it("answers 503 no-healthy-upstream when every endpoint is out (Istio's panic threshold is 0)", async () => {
    const bad = await upstream({ name: 'bad', fallback: { status: 502 } })
    const m = await mesh({ clock: new FakeClock(), yaml: rules('{ consecutiveGatewayErrors: 1 }'), endpoints: { svc: [at(bad)] } })
    expect((await settle(await m.fetch('http://svc/'))).status).toBe(502)
    expect(await settle(await m.fetch('http://svc/'))).toMatchObject({ status: 503, reason: 'no-healthy-upstream', body: 'no healthy upstream' })
    expect(bad.requests).toHaveLength(1)
  })
})
