import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { parseLatencyProfile, sampleLatency, type LatencyProfile } from './latency.js'
import { summarize } from './stats.js'

function draws(profile: LatencyProfile, count = 20_000) {
  const random = seededRandom(81)
  return summarize(Array.from({ length: count }, () => sampleLatency(profile, random)))
}

describe('latency profiles', () => {
  it('fixed always answers the same', () => {
    expect(draws({ kind: 'fixed', ms: 12 })).toMatchObject({ p50Ms: 12, p999Ms: 12, maxMs: 12 })
  })

  it('normal centres on its mean and never goes below zero', () => {
    const summary = draws({ kind: 'normal', meanMs: 20, stddevMs: 5 })
    expect(summary.meanMs).toBeCloseTo(20, 0)
    expect(summary.p90Ms).toBeGreaterThan(25.5)
    expect(summary.p90Ms).toBeLessThan(27)
    expect(draws({ kind: 'normal', meanMs: 1, stddevMs: 10 }).p50Ms).toBeGreaterThanOrEqual(0)
  })

  it('log-normal has its median where asked and a long right tail', () => {
    const summary = draws({ kind: 'logNormal', medianMs: 10, sigma: 0.5 })
    expect(summary.p50Ms).toBeGreaterThan(9.6)
    expect(summary.p50Ms).toBeLessThan(10.4)
    expect(summary.p99Ms / summary.p50Ms).toBeGreaterThan(2.8)
  })

  it('bimodal answers slowly with the given probability', () => {
    const random = seededRandom(82)
    const profile: LatencyProfile = { kind: 'bimodal', fast: { kind: 'fixed', ms: 5 }, slow: { kind: 'fixed', ms: 500 }, slowProbability: 0.05 }
    let slow = 0
    for (let i = 0; i < 20_000; i++) if (sampleLatency(profile, random) === 500) slow++
    expect(slow / 20_000).toBeCloseTo(0.05, 2)
  })

  it('a slow outlier is another profile times a factor', () => {
    expect(draws({ kind: 'scaled', profile: { kind: 'fixed', ms: 10 }, factor: 20 }).p50Ms).toBe(200)
  })
})

describe('parseLatencyProfile', () => {
  it.each([
    ['12ms', { kind: 'fixed', ms: 12 }],
    ['1.5s', { kind: 'fixed', ms: 1500 }],
    ['fixed(7ms)', { kind: 'fixed', ms: 7 }],
    ['normal(20ms, 5ms)', { kind: 'normal', meanMs: 20, stddevMs: 5 }],
    ['lognormal(20ms, 0.5)', { kind: 'logNormal', medianMs: 20, sigma: 0.5 }],
    ['bimodal(5ms, 400ms, 0.02)', { kind: 'bimodal', fast: { kind: 'fixed', ms: 5 }, slow: { kind: 'fixed', ms: 400 }, slowProbability: 0.02 }],
    ['slow(normal(20ms, 5ms), 10)', { kind: 'scaled', profile: { kind: 'normal', meanMs: 20, stddevMs: 5 }, factor: 10 }],
  ])('reads %s', (text, expected) => {
    expect(parseLatencyProfile(text)).toEqual(expected)
  })

  it.each(['12', 'normal(20ms)', 'gamma(1ms)', '5ms extra'])('refuses %s with a MeshError', (text) => {
    expect(() => parseLatencyProfile(text)).toThrow(expect.objectContaining({ code: 'MESHLET_ERR_INVALID_ARGUMENT' }))
  })
})
