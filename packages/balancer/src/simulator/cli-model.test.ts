import { describe, expect, it } from 'vitest'
import { simulateModel } from './cli-model.js'

describe('simulateModel (meshlet simulate)', () => {
  const model = {
    seed: 9,
    requests: 4_000,
    concurrency: 8,
    destinations: [
      {
        host: 'reviews.default.svc.cluster.local',
        subset: 'v1',
        weight: 75,
        loadBalancer: { algorithm: 'ROUND_ROBIN' as const, consistentHash: undefined, locality: undefined, warmup: undefined },
        endpoints: [
          { address: '10.0.0.1', ports: { http: 9080 }, labels: { version: 'v1' }, locality: undefined, weight: 1, network: undefined, source: undefined },
          { address: '10.0.0.2', ports: { http: 9080 }, labels: { version: 'v1' }, latency: 'normal(30ms, 5ms)' },
        ],
      },
      {
        host: 'reviews.default.svc.cluster.local',
        subset: 'v2',
        weight: 25,
        outlierDetection: { consecutive5xxErrors: 3, baseEjectionTimeMs: 10_000, maxEjectionPercent: 100 },
        retries: { attempts: 2, avoidPreviousHosts: true },
        endpoints: [
          { address: '10.0.1.1', ports: { http: 9080 }, failureRate: 1, latency: '2ms' },
          { address: '10.0.1.2', ports: { http: 9080 } },
        ],
      },
    ],
  }

  it('splits requests by route weight and balances each subset with its own policy', () => {
    const { report } = simulateModel(model)
    const [v1, v2] = report.destinations
    expect(v1!.algorithm).toBe('ROUND_ROBIN')
    expect(v2!.algorithm).toBe('LEAST_REQUEST')
    expect(v1!.requests / 4_000).toBeGreaterThan(0.72)
    expect(v1!.requests / 4_000).toBeLessThan(0.78)
    expect(v1!.endpoints.map((e) => e.key)).toEqual(['10.0.0.1:9080', '10.0.0.2:9080'])
    expect(v1!.endpoints[1]!.latency.p50Ms).toBeGreaterThan(25)
  })

  it('applies outlier detection and retries from the compiled policies', () => {
    const { report } = simulateModel(model)
    expect(report.failed).toBe(0)
    expect(report.destinations[1]!.ejections).toBeGreaterThan(0)
  })

  it('returns printable text naming hosts, subsets and endpoints', () => {
    const { text } = simulateModel(model)
    expect(text).toContain('reviews.default.svc.cluster.local subset v2  (LEAST_REQUEST)')
    expect(text).toContain('10.0.1.1:9080')
  })

  it('gives the same text for the same seed', () => {
    expect(simulateModel(model).text).toBe(simulateModel(model).text)
  })
})
