import { describe, expect, it } from 'vitest'
import type { LatencyProfile } from './latency.js'
import { simulate } from './run.js'
import type { SimulatedDestination, SimulatedEndpoint, SimulationScenario } from './scenario.js'

const fixed = (ms: number): LatencyProfile => ({ kind: 'fixed', ms })
const endpoint = (address: string, latencyMs: number, extra: Partial<SimulatedEndpoint> = {}): SimulatedEndpoint => ({ address, port: 80, latency: fixed(latencyMs), ...extra })

function run(destination: Partial<SimulatedDestination>, extra: Partial<SimulationScenario> = {}) {
  return simulate({
    seed: 3,
    requests: 200,
    concurrency: 4,
    destinations: [{ name: 'reviews', loadBalancer: { algorithm: 'ROUND_ROBIN' }, endpoints: [endpoint('a', 10)], ...destination }],
    ...extra,
  })
}

const accounted = (report: ReturnType<typeof simulate>) => report.succeeded + report.failed + report.unrouted + report.timedOut + report.overflowed + report.aborted

describe('simulate: timeouts, faults and pool limits of the route and the cluster', () => {
  it('answers 504 at the route timeout when the endpoint is slower, and never reports such a call as succeeded', () => {
    const report = run({ endpoints: [endpoint('a', 500)] }, { route: { timeoutMs: 100 } })
    expect(report.succeeded).toBe(0)
    expect(report.timedOut).toBe(200)
    expect(report.latency.maxMs).toBe(100)
    expect(accounted(report)).toBe(200)
  })

  it('lets calls that end before the route timeout succeed', () => {
    expect(run({ endpoints: [endpoint('a', 50)] }, { route: { timeoutMs: 100 } }).succeeded).toBe(200)
  })

  it('cuts a slow try at the per-try timeout and retries it on another endpoint', () => {
    const report = run({ endpoints: [endpoint('slow', 500), endpoint('fast', 10)], retries: { attempts: 1, perTryTimeoutMs: 50 } })
    expect(report.succeeded).toBe(200)
    // Every first try that went to the slow endpoint was cut at 50 ms and retried once.
    expect(report.retries).toBe(report.destinations[0]!.endpoints.find((e) => e.key === 'slow:80')!.tries)
    expect(report.latency.maxMs).toBe(60)
  })

  it('does not retry a per-try timeout that retryOn does not cover, and answers 504', () => {
    const report = run({ endpoints: [endpoint('slow', 500)], retries: { attempts: 2, perTryTimeoutMs: 50, retryOn: { failure: true, perTryTimeout: false } } })
    expect(report.retries).toBe(0)
    expect(report.timedOut).toBe(200)
  })

  it('does not retry a failed answer that retryOn does not cover', () => {
    const report = run({ endpoints: [endpoint('a', 10, { failureRate: 1 })], retries: { attempts: 2, retryOn: { failure: false, perTryTimeout: true } } })
    expect(report.retries).toBe(0)
    expect(report.failed).toBe(200)
  })

  it('counts retry backoff inside the route timeout', () => {
    const failing = [endpoint('a', 10, { failureRate: 1 }), endpoint('b', 10, { failureRate: 1 })]
    const report = run({ endpoints: failing, retries: { attempts: 50, backoffBaseMs: 25, backoffMaxMs: 250 } }, { route: { timeoutMs: 300 } })
    expect(report.timedOut).toBe(200)
    expect(report.latency.maxMs).toBe(300)
  })

  it('answers injected aborts locally: no endpoint is tried and nothing is retried', () => {
    const report = run({ retries: { attempts: 3 } }, { route: { fault: { abort: { percentage: 100 } } } })
    expect(report.aborted).toBe(200)
    expect(report.retries).toBe(0)
    expect(report.destinations[0]!.endpoints[0]!.tries).toBe(0)
  })

  it('aborts about the share of requests the percentage gives', () => {
    const report = run({}, { requests: 4_000, route: { fault: { abort: { percentage: 25 } } } })
    expect(Math.abs(report.aborted - 1_000)).toBeLessThan(120)
    expect(report.succeeded + report.aborted).toBe(4_000)
  })

  it('delays before routing, outside the route timeout', () => {
    const report = run({ endpoints: [endpoint('a', 50)] }, { route: { timeoutMs: 100, fault: { delay: { fixedDelayMs: 1_000, percentage: 100 } } } })
    expect(report.delayed).toBe(200)
    expect(report.succeeded).toBe(200)
    expect(report.latency.p50Ms).toBe(1_050)
  })

  it('overflows past maxConnections and http1MaxPendingRequests with a local 503 that is never retried', () => {
    const report = run({ endpoints: [endpoint('a', 100)], connectionPool: { maxConnections: 1, http1MaxPendingRequests: 1 }, retries: { attempts: 3 } }, { concurrency: 10 })
    expect(report.overflowed).toBeGreaterThan(0)
    expect(report.retries).toBe(0)
    expect(report.destinations[0]!.overflowed).toBe(report.overflowed)
    expect(accounted(report)).toBe(200)
  })

  it('holds waiting requests in the queue instead of refusing them while pending has room', () => {
    const report = run({ endpoints: [endpoint('a', 10)], connectionPool: { maxConnections: 1, http1MaxPendingRequests: 100 } }, { concurrency: 10 })
    expect(report.overflowed).toBe(0)
    expect(report.succeeded).toBe(200)
    expect(report.latency.maxMs).toBeGreaterThanOrEqual(90)
  })

  it('refuses requests beyond http2MaxRequests in flight', () => {
    const report = run({ endpoints: [endpoint('a', 100)], connectionPool: { http2MaxRequests: 2 } }, { concurrency: 5 })
    expect(report.overflowed).toBeGreaterThan(0)
  })

  it('stops retrying when maxRetries retries are already in flight', () => {
    const failing = [endpoint('a', 100, { failureRate: 1 }), endpoint('b', 100, { failureRate: 1 })]
    const limited = run({ endpoints: failing, retries: { attempts: 1 }, connectionPool: { maxRetries: 1 } }, { concurrency: 8 })
    const unlimited = run({ endpoints: failing, retries: { attempts: 1 } }, { concurrency: 8 })
    expect(unlimited.retries).toBe(200)
    expect(limited.retries).toBeLessThan(unlimited.retries)
  })
})
