import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { createMesh } from 'meshlet'
import type { Mesh } from 'meshlet'
import { at, failOnEscapedErrors, mesh, recordEvents, settle, upstream } from './support.js'

// Breaker and outlier state exported with mesh.snapshotState() and restored with
// createMesh({ state }): a new process (a serverless cold start) does not start blind.

failOnEscapedErrors()

const rules = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 2, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payments
  annotations:
    meshlet.io/circuit-breaker: "{ errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeout: 60s }"
spec:
  host: payments
`

const SVC = 'outbound|80||svc.default.svc.cluster.local'
const PAYMENTS = 'outbound|80||payments.default.svc.cluster.local'

async function upstreamsOf(names: readonly string[], m: Mesh, url: string, count: number): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < count; i++) {
    const response = await m.fetch(url)
    seen.push(response.headers.get('x-upstream') ?? `${response.status} ${response.headers.get('x-meshlet-reason')}`)
    await response.arrayBuffer()
  }
  return seen.filter((name) => names.length === 0 || names.includes(name))
}

describe('saved resilience state', () => {
  it('carries ejections and an open breaker into a new mesh, which avoids them from its first call', async () => {
    const [bad, good, payments] = await Promise.all([
      upstream({ name: 'bad', fallback: { status: 500 } }),
      upstream({ name: 'good' }),
      upstream({ name: 'payments', fallback: { status: 500 } }),
    ])
    const endpoints = { svc: [at(bad), at(good)], payments: [at(payments)] }

    const before = await mesh({ clock: new FakeClock(), random: seededRandom(4), yaml: rules, endpoints })
    const learned = recordEvents(before, ['endpointEjected', 'circuitOpened'])
    await upstreamsOf([], before, 'http://svc/', 6)
    await upstreamsOf([], before, 'http://payments/', 3)
    expect(learned.endpointEjected).toHaveLength(1)
    expect(learned.circuitOpened).toHaveLength(1)

    const saved: unknown = JSON.parse(JSON.stringify(before.snapshotState()))
    expect(saved).toMatchObject({
      version: 1,
      outliers: { [SVC]: { [bad.authority]: { ejected: true, ejections: 1, backoff: 1 } } },
      breakers: { [PAYMENTS]: { state: 'open' } },
    })
    await before.close()
    const badCalls = bad.requests.length
    const paymentCalls = payments.requests.length

    const clock = new FakeClock()
    // Seed 7 starts round robin on the ejected endpoint: the restored ejection must hold for the first call.
    const after = await mesh({ clock, random: seededRandom(7), yaml: rules, endpoints, state: saved })
    const events = recordEvents(after, ['endpointReturned'])
    expect(await upstreamsOf(['bad'], after, 'http://svc/', 10)).toEqual([])
    expect(bad.requests).toHaveLength(badCalls)
    expect(await settle(await after.fetch('http://payments/'))).toMatchObject({ status: 503, reason: 'circuit-open' })
    expect(payments.requests).toHaveLength(paymentCalls)

    // What is left of the 30 s ejection runs on the new mesh's clock; then the endpoint is back.
    await clock.tick(30_000)
    expect(events.endpointReturned).toMatchObject([{ endpoint: bad.authority }])
    expect(await upstreamsOf(['bad'], after, 'http://svc/', 4)).toHaveLength(2)
  })

  it('exports nothing worth keeping from a mesh that learned nothing', async () => {
    const m = await mesh({ yaml: rules })
    expect(m.snapshotState()).toMatchObject({ version: 1, outliers: {}, breakers: {} })
  })

  it('refuses a snapshot from another version or with malformed entries, naming each problem', async () => {
    await expect(createMesh({ yaml: rules, state: { version: 99 } })).rejects.toMatchObject({ code: 'MESHLET_ERR_STATE_INVALID' })
    const malformed = { version: 1, savedAtMs: 0, outliers: { [SVC]: { '10.0.0.1:80': { ejected: 'yes' } } }, breakers: { [PAYMENTS]: { state: 'ajar' } } }
    const error = await createMesh({ yaml: rules, state: malformed }).catch((thrown: Error) => thrown)
    expect(error).toMatchObject({ code: 'MESHLET_ERR_STATE_INVALID' })
    expect((error as Error).message).toMatch(/ejected: expected true or false/)
    expect((error as Error).message).toMatch(/state: expected closed, open or half-open/)
  })
})
