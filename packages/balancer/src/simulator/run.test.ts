import { describe, expect, it } from 'vitest'
import type { BalancerConfig } from '../config/config.js'
import type { LatencyProfile } from './latency.js'
import { formatReport } from './report.js'
import { simulate } from './run.js'
import type { SimulatedEndpoint, SimulationScenario } from './scenario.js'

const healthy: LatencyProfile = { kind: 'logNormal', medianMs: 10, sigma: 0.3 }
const tenWithOneSlow = (): SimulatedEndpoint[] =>
  Array.from({ length: 10 }, (_, i) => ({
    address: `10.0.0.${i + 1}`,
    port: 8080,
    latency: i === 9 ? { kind: 'scaled', profile: healthy, factor: 20 } : healthy,
  }))

function scenario(loadBalancer: BalancerConfig | undefined, endpoints: SimulatedEndpoint[], extra: Partial<SimulationScenario> = {}): SimulationScenario {
  return { seed: 1, requests: 20_000, concurrency: 20, destinations: [{ name: 'reviews', loadBalancer, endpoints }], ...extra }
}

describe('simulate', () => {
  it('gives the same report for the same seed, and a different one for another seed', () => {
    const first = simulate(scenario({ algorithm: 'PEAK_EWMA' }, tenWithOneSlow()))
    const again = simulate(scenario({ algorithm: 'PEAK_EWMA' }, tenWithOneSlow()))
    const other = simulate({ ...scenario({ algorithm: 'PEAK_EWMA' }, tenWithOneSlow()), seed: 2 })
    expect(again).toEqual(first)
    expect(other.latency).not.toEqual(first.latency)
  })

  it('sends every request and accounts for each one', () => {
    const report = simulate(scenario({ algorithm: 'ROUND_ROBIN' }, tenWithOneSlow()))
    expect(report.requests).toBe(20_000)
    expect(report.succeeded + report.failed + report.unrouted).toBe(20_000)
    expect(report.destinations[0]!.endpoints.map((e) => e.tries)).toEqual(new Array(10).fill(2_000))
  })

  it('shows peak EWMA keeping p99 near the all-healthy p99 with one slow endpoint, where round robin and least request do not', () => {
    const allHealthy = simulate(scenario({ algorithm: 'ROUND_ROBIN' }, tenWithOneSlow().map((e) => ({ ...e, latency: healthy }))))
    const p99 = (algorithm: BalancerConfig['algorithm']) => simulate(scenario({ algorithm }, tenWithOneSlow())).latency.p99Ms
    const peakEwma = p99('PEAK_EWMA')
    expect(peakEwma).toBeLessThanOrEqual(1.5 * allHealthy.latency.p99Ms)
    expect(peakEwma).toBeLessThan(p99('ROUND_ROBIN'))
    expect(peakEwma).toBeLessThan(p99('LEAST_REQUEST'))
  })

  it('follows route weights between destinations', () => {
    const report = simulate({
      seed: 3,
      requests: 10_000,
      concurrency: 10,
      destinations: [
        { name: 'v1', weight: 90, loadBalancer: undefined, endpoints: [{ address: 'a', latency: healthy }] },
        { name: 'v2', weight: 10, loadBalancer: undefined, endpoints: [{ address: 'b', latency: healthy }] },
      ],
    })
    expect(report.destinations[1]!.requests / 10_000).toBeCloseTo(0.1, 1.5)
  })

  it('fails over out of the local zone while it is ejected, and comes back', () => {
    const at = (address: string, locality: string): SimulatedEndpoint => ({ address, locality, latency: { kind: 'fixed', ms: 10 } })
    const report = simulate({
      seed: 4,
      requests: 6_000,
      concurrency: 10,
      balancerOptions: { localLocality: 'us-east/a' },
      destinations: [
        {
          name: 'reviews',
          loadBalancer: { algorithm: 'ROUND_ROBIN' },
          outlierDetection: { consecutiveErrors: 5, baseEjectionMs: 30_000, maxEjectionPercent: 100 },
          endpoints: [at('local', 'us-east/a'), at('remote', 'us-west/a')],
        },
      ],
      // 6,000 requests at 10 ms with 10 clients take 6 s: the local zone is out from 2 s to 4 s.
      timeline: [
        { atMs: 2_000, action: 'eject', endpoint: 'local' },
        { atMs: 4_000, action: 'return', endpoint: 'local' },
      ],
    })
    const [local, remote] = report.destinations[0]!.endpoints
    expect(remote!.tries).toBeGreaterThan(1_900)
    expect(remote!.tries).toBeLessThan(2_100)
    expect(local!.tries + remote!.tries).toBe(6_000)
  })

  it('ejects an endpoint that keeps failing and retries elsewhere', () => {
    const endpoints: SimulatedEndpoint[] = [
      { address: 'good-1', latency: healthy },
      { address: 'good-2', latency: healthy },
      { address: 'broken', latency: { kind: 'fixed', ms: 1 }, failureRate: 1 },
    ]
    const report = simulate({
      ...scenario({ algorithm: 'ROUND_ROBIN' }, endpoints),
      requests: 5_000,
      destinations: [
        {
          name: 'reviews',
          loadBalancer: { algorithm: 'ROUND_ROBIN' },
          endpoints,
          retries: { attempts: 2 },
          outlierDetection: { consecutiveErrors: 5, baseEjectionMs: 30_000, maxEjectionPercent: 50 },
        },
      ],
    })
    expect(report.failed).toBe(0)
    expect(report.retries).toBeGreaterThan(0)
    expect(report.destinations[0]!.ejections).toBe(1)
    expect(report.destinations[0]!.endpoints[2]!.tries).toBeLessThan(50)
  })

  it('ramps up an endpoint that joins later with warmup', () => {
    const endpoints: SimulatedEndpoint[] = [
      { address: 'old-1', latency: { kind: 'fixed', ms: 10 } },
      { address: 'old-2', latency: { kind: 'fixed', ms: 10 } },
      { address: 'new', latency: { kind: 'fixed', ms: 10 }, joinAtMs: 1_000 },
    ]
    const run = (warmup: BalancerConfig['warmup']) =>
      simulate(scenario({ algorithm: 'ROUND_ROBIN', warmup }, endpoints, { requests: 20_000, concurrency: 10 })).destinations[0]!.endpoints[2]!.tries
    expect(run({ durationMs: 60_000 })).toBeLessThan(0.6 * run(undefined))
  })

  it('counts requests no endpoint could take', () => {
    const report = simulate({ ...scenario({ algorithm: 'PASSTHROUGH' }, tenWithOneSlow()), requests: 100 })
    expect(report.unrouted).toBe(100)
  })

  it('prints a report with the totals and a row per endpoint', () => {
    const text = formatReport(simulate({ ...scenario({ algorithm: 'ROUND_ROBIN' }, tenWithOneSlow()), requests: 1_000 }))
    expect(text).toContain('1,000 requests, concurrency 20, seed 1')
    expect(text).toContain('reviews  (ROUND_ROBIN)  100.0 % of requests')
    expect(text).toMatch(/10\.0\.0\.10:8080\s+10\.0 %\s+100\s+0/)
  })
})
