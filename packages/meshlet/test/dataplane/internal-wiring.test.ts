import { describe, expect, it } from 'vitest'
import type { TryState } from '@meshlet/core'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { MeshCallContext, MeshTryLayer } from 'meshlet'
import { at, echo, mesh, upstream } from '../helpers.js'

// Nothing internal travels over the public event bus, and each try's state belongs to that try.

const OUTLIER_RULES = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 2, interval: 60s, baseEjectionTime: 60s, maxEjectionPercent: 50 }
`

describe('the mesh’s own wiring', () => {
  it('keeps steering around an ejected endpoint after a user removed every listener', async () => {
    const healthy = await upstream({ name: 'healthy' })
    const failing = await upstream({ name: 'failing', fallback: { status: 500 } })
    const m = await mesh({ yaml: OUTLIER_RULES, endpoints: { reviews: [at(healthy), at(failing)] } })
    m.on('endpointEjected', () => undefined)
    m.on('configReloaded', () => undefined)
    m.removeAllListeners()
    for (let i = 0; i < 6; i++) await (await m.fetch('http://reviews/')).arrayBuffer()
    const failedBefore = failing.requests.length
    expect(failedBefore).toBe(2)
    for (let i = 0; i < 20; i++) expect((await echo(await m.fetch('http://reviews/'))).upstream).toBe('healthy')
    expect(failing.requests).toHaveLength(failedBefore)
  })

  it('gives every try of every call a state of its own, linked to its own call', async () => {
    const clock = new FakeClock()
    const flaky = await upstream({ answers: [503, 503, 200, 503, 200], fallback: 200 })
    const seen: Array<TryState<MeshCallContext>> = []
    const recorder: MeshTryLayer = (next) => (request, state) => {
      seen.push(state)
      return next(request, state)
    }
    const m = await mesh({
      clock,
      random: seededRandom(4),
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: flaky }
spec:
  hosts: [flaky]
  http:
  - route: [{ destination: { host: flaky } }]
    retries: { attempts: 3, retryOn: 5xx }
`,
      endpoints: { flaky: [at(flaky)] },
      layers: { breaker: recorder },
    })
    const first = m.fetch('http://flaky/one')
    const second = m.fetch('http://flaky/two')
    let done = false
    const both = Promise.all([first, second]).finally(() => (done = true))
    while (!done) await clock.tick(25)
    for (const response of await both) expect(response.status).toBe(200)

    expect(new Set(seen).size).toBe(seen.length)
    const calls = [...new Set(seen.map((state) => state.call))]
    expect(calls).toHaveLength(2)
    for (const call of calls) {
      const tries = seen.filter((state) => state.call === call)
      expect(tries.map((state) => state.attempt)).toEqual(tries.map((_, index) => index))
      expect(call.lastTry).toBe(tries.at(-1))
      expect(tries.at(-1)!.verdict?.result).toBe('success')
      for (const state of tries.slice(0, -1)) expect(state.verdict?.result).toBe('retryable-failure')
    }
    expect(seen.length).toBe(5)
  })
})
