import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { TryState } from '@meshlet/core'
import type { MeshHandler, MeshTryHandler } from 'meshlet'
import { at, mesh, upstream } from './helpers.js'

function rules(routeExtras: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings }
spec:
  hosts: [ratings]
  http:
  - route: [{ destination: { host: ratings } }]
${routeExtras}
`
}

describe('fault injection', () => {
  it('holds a request for the fixed delay on the mesh clock before sending it', async () => {
    const clock = new FakeClock()
    const server = await upstream()
    const m = await mesh({ yaml: rules('    fault: { delay: { fixedDelay: 7s, percentage: { value: 100 } } }'), clock, endpoints: { ratings: [at(server)] } })
    const pending = m.fetch('http://ratings/')
    await clock.whenTimers(1)
    clock.advance(6_999)
    await new Promise((resolve) => setImmediate(resolve))
    expect(server.requests).toHaveLength(0)
    clock.advance(1)
    expect((await pending).status).toBe(200)
    expect(server.requests).toHaveLength(1)
  })

  it('answers an aborted request locally with the rule status and never calls the upstream or the retry layer', async () => {
    const server = await upstream()
    let retryLayerCalls = 0
    const countingRetry = (tries: MeshTryHandler): MeshHandler => (request, call) => {
      retryLayerCalls += 1
      return tries(request, new TryState(call, 0))
    }
    const m = await mesh({
      yaml: rules('    fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }'),
      endpoints: { ratings: [at(server)] },
      layers: { retry: countingRetry },
    })
    const response = await m.fetch('http://ratings/')
    expect(response.status).toBe(503)
    expect(response.headers.get('x-meshlet-reason')).toBe('fault-abort')
    expect(await response.text()).toBe('fault filter abort')
    expect(server.requests).toHaveLength(0)
    expect(retryLayerCalls).toBe(0)
  })

  it('aborts about the configured share of requests', async () => {
    const server = await upstream()
    const m = await mesh({ yaml: rules('    fault: { abort: { httpStatus: 500, percentage: { value: 25 } } }'), random: seededRandom(3), endpoints: { ratings: [at(server)] } })
    let aborted = 0
    for (let i = 0; i < 400; i++) {
      const response = await m.fetch('http://ratings/')
      await response.arrayBuffer()
      if (response.status === 500) aborted += 1
    }
    // 25% of 400 is 100; binomial sigma is about 8.7.
    expect(Math.abs(aborted - 100)).toBeLessThan(35)
    expect(server.requests).toHaveLength(400 - aborted)
  })

  it('delays about the configured share of requests, and none without a percentage', async () => {
    /** How many of `calls` sequential calls the fault delayed, moving the fake clock past each delay. */
    async function delayedCalls(fault: string, calls: number): Promise<number> {
      const clock = new FakeClock()
      const server = await upstream()
      const m = await mesh({ yaml: rules(`    fault: ${fault}`), clock, random: seededRandom(9), endpoints: { ratings: [at(server)] } })
      let delayed = 0
      m.on('fault', (event) => void (event.kind === 'delay' && (delayed += 1)))
      for (let i = 0; i < calls; i++) {
        const pending = m.fetch('http://ratings/')
        const early = await Promise.race([pending, clock.whenTimers(1).then(() => undefined)])
        if (early === undefined) clock.advance(1_000)
        await (await pending).arrayBuffer()
      }
      await m.close()
      return delayed
    }
    // 30% of 300 is 90; binomial sigma is about 7.9.
    expect(Math.abs((await delayedCalls('{ delay: { fixedDelay: 1s, percentage: { value: 30 } } }', 300)) - 90)).toBeLessThan(32)
    expect(await delayedCalls('{ delay: { fixedDelay: 1s } }', 50)).toBe(0)
    expect(await delayedCalls('{ delay: { fixedDelay: 1s, percent: 100 } }', 20)).toBe(20)
    expect(await delayedCalls('{ delay: { fixedDelay: 1s, percent: 0 } }', 20)).toBe(0)
  })

  it('answers a gRPC abort as a trailers-only 200 with grpc-status', async () => {
    const m = await mesh({ yaml: rules('    fault: { abort: { grpcStatus: UNAVAILABLE, percentage: { value: 100 } } }') })
    const response = await m.fetch('http://ratings/')
    expect(response.status).toBe(200)
    expect(response.headers.get('grpc-status')).toBe('14')
  })

  it('reports each delay and abort to fault listeners', async () => {
    const clock = new FakeClock()
    const server = await upstream()
    const m = await mesh({ yaml: rules('    fault: { delay: { fixedDelay: 1s, percentage: { value: 100 } }, abort: { httpStatus: 418, percentage: { value: 100 } } }'), clock, endpoints: { ratings: [at(server)] } })
    const events: string[] = []
    m.on('fault', (event) => events.push(event.kind))
    const pending = m.fetch('http://ratings/')
    await clock.whenTimers(1)
    clock.advance(1_000)
    expect((await pending).status).toBe(418)
    expect(events).toEqual(['delay', 'abort'])
  })
})

describe('route timeout', () => {
  it('answers 504 with x-meshlet-reason timeout when the upstream is slower than the route timeout', async () => {
    const clock = new FakeClock()
    let release!: () => void
    const server = await upstream({ answers: [{ status: 200, until: new Promise<void>((resolve) => (release = resolve)) }] })
    const m = await mesh({ yaml: rules('    timeout: 2s'), clock, endpoints: { ratings: [at(server)] } })
    const pending = m.fetch('http://ratings/')
    await server.waitForRequests(1)
    clock.advance(1_999)
    clock.advance(1)
    const response = await pending
    expect(response.status).toBe(504)
    expect(response.headers.get('x-meshlet-reason')).toBe('timeout')
    expect(await response.text()).toBe('upstream request timeout')
    release()
  })

  it('does not count a fault delay in the route timeout', async () => {
    const clock = new FakeClock()
    const server = await upstream()
    const m = await mesh({ yaml: rules('    timeout: 1s\n    fault: { delay: { fixedDelay: 5s, percentage: { value: 100 } } }'), clock, endpoints: { ratings: [at(server)] } })
    const pending = m.fetch('http://ratings/')
    await clock.whenTimers(1)
    clock.advance(5_000)
    expect((await pending).status).toBe(200)
  })

  it('rejects with the caller abort reason, as fetch does', async () => {
    const server = await upstream({ answers: [{ hang: true }] })
    const m = await mesh({ endpoints: { ratings: [at(server)] } })
    const controller = new AbortController()
    const pending = m.fetch('http://ratings/', { signal: controller.signal })
    await server.waitForRequests(1)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })
})
