import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { RecordedRequest } from '@meshlet/testing'
import type { ServerResponse } from 'node:http'
import { answeredBy, mesh, rulesFile, staticServiceEntry, tally, upstream } from './support.js'

const HOST = 'svc.example.com'
const URL = `http://${HOST}/`

describe('warmup', () => {
  // Envoy slow start (slow_start.rst): a new endpoint's weight is weight × max(minimumPercent,
  // t^(1/aggression)), t = time since it joined / duration; ROUND_ROBIN honours it.
  const rule = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: ${HOST}
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
      warmup: { duration: 60s, minimumPercent: 10 }
`

  it('ramps a new endpoint up over the warmup duration while the others keep their share', async () => {
    const clock = new FakeClock()
    const [old1, old2, fresh] = await Promise.all([upstream({ name: 'old-1' }), upstream({ name: 'old-2' }), upstream({ name: 'fresh' })])
    const rules = await rulesFile(staticServiceEntry(HOST, [old1, old2]) + '---' + rule)
    const m = await mesh({ clock, random: seededRandom(6), files: [rules.path] })
    expect(tally(await answeredBy(m, URL, 10))).toEqual({ 'old-1': 5, 'old-2': 5 })

    await rules.write(staticServiceEntry(HOST, [old1, old2, fresh]) + '---' + rule)
    expect(await m.reload()).toBe(true)

    // Just joined: the 10 % floor, 0.1 / 2.1 of the calls.
    const joined = tally(await answeredBy(m, URL, 210))
    expect(joined.fresh).toBeGreaterThanOrEqual(7)
    expect(joined.fresh).toBeLessThanOrEqual(13)

    // Halfway: weight 0.5, 0.5 / 2.5 of the calls.
    await clock.tick(30_000)
    const halfway = tally(await answeredBy(m, URL, 250))
    expect(halfway.fresh).toBeGreaterThanOrEqual(45)
    expect(halfway.fresh).toBeLessThanOrEqual(55)

    // Warmed up: an equal third.
    await clock.tick(30_000)
    expect(tally(await answeredBy(m, URL, 90))).toEqual({ 'old-1': 30, 'old-2': 30, fresh: 30 })
  })
})

describe('PEAK_EWMA', () => {
  it('sends almost nothing to an endpoint that answers ten times slower than its peers', async () => {
    const clock = new FakeClock()
    // Each answer moves the mesh clock by the endpoint's latency before answering, so the latency
    // the balancer measures is exact and the test never waits in real time.
    const answering = (latencyMs: number) => (_request: RecordedRequest, response: ServerResponse) => {
      clock.advance(latencyMs)
      response.writeHead(200, { 'x-upstream': latencyMs > 10 ? 'slow' : `fast-${latencyMs}` }).end('ok')
    }
    const servers = await Promise.all([
      upstream({ fallback: answering(50) }),
      upstream({ fallback: answering(5) }),
      upstream({ fallback: answering(6) }),
      upstream({ fallback: answering(7) }),
    ])
    const rules = await rulesFile(`${staticServiceEntry(HOST, servers)}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc
  annotations: { meshlet.io/load-balancer: PEAK_EWMA }
spec:
  host: ${HOST}
`)
    const m = await mesh({ clock, random: seededRandom(8), files: [rules.path] })
    const counts = tally(await answeredBy(m, URL, 400))
    // P2C over latency × (active + 1): once measured, the slow endpoint loses every pairing it is in.
    expect(counts.slow ?? 0).toBeLessThan(400 * 0.05)
    expect((counts['fast-5'] ?? 0) + (counts['fast-6'] ?? 0) + (counts['fast-7'] ?? 0)).toBe(400 - (counts.slow ?? 0))
  })

  it('is what the default LEAST_REQUEST is not: sequential calls spread evenly whatever the latency', async () => {
    const clock = new FakeClock()
    const answering = (name: string, latencyMs: number) => (_request: RecordedRequest, response: ServerResponse) => {
      clock.advance(latencyMs)
      response.writeHead(200, { 'x-upstream': name }).end('ok')
    }
    const servers = await Promise.all([upstream({ fallback: answering('slow', 50) }), upstream({ fallback: answering('fast', 5) })])
    const rules = await rulesFile(staticServiceEntry(HOST, servers))
    const m = await mesh({ clock, random: seededRandom(8), files: [rules.path] })
    const counts = tally(await answeredBy(m, URL, 200))
    // One call at a time: no endpoint ever has more active requests, so P2C ties and latency is ignored.
    expect(counts.slow! / 200).toBeGreaterThan(0.35)
  })
})
