import { describe, expect, it } from 'vitest'
import { peakEwmaLoad } from './peak-ewma.js'
import { pendingRequestsLoad } from './pending.js'
import { constantLoad } from './constant.js'

describe('peakEwmaLoad', () => {
  it('starts a new endpoint at the default RTT', () => {
    const tracker = peakEwmaLoad({ defaultRttMs: 30 }).track(0)
    expect(tracker.cost(0, 0)).toBe(30)
  })

  it('multiplies the estimate by calls in flight plus one', () => {
    const tracker = peakEwmaLoad({ defaultRttMs: 10 }).track(0)
    expect(tracker.cost(0, 3)).toBe(40)
  })

  it('jumps to a latency above the estimate at once (the peak)', () => {
    const tracker = peakEwmaLoad({ defaultRttMs: 10, decayMs: 10_000 }).track(0)
    tracker.observe(100, 250, false)
    expect(tracker.cost(100, 0)).toBe(250)
  })

  it('blends a lower latency in by the time since the last update', () => {
    const tracker = peakEwmaLoad({ defaultRttMs: 100, decayMs: 1_000 }).track(0)
    tracker.observe(1_000, 20, false)
    // keep = e^-1: 100 × 0.368 + 20 × 0.632 ≈ 49.4
    expect(tracker.cost(1_000, 0)).toBeCloseTo(100 * Math.exp(-1) + 20 * (1 - Math.exp(-1)), 6)
  })

  it('decays toward zero while nothing is observed, so a once-slow endpoint is tried again', () => {
    const tracker = peakEwmaLoad({ defaultRttMs: 10, decayMs: 10_000 }).track(0)
    tracker.observe(0, 500, false)
    expect(tracker.cost(10_000, 0)).toBeCloseTo(500 * Math.exp(-1), 6)
    expect(tracker.cost(60_000, 0)).toBeLessThan(2)
  })

  it('does not let a fast failure make an endpoint look faster', () => {
    const tracker = peakEwmaLoad({ defaultRttMs: 10, decayMs: 10_000 }).track(0)
    tracker.observe(0, 200, false)
    tracker.observe(5_000, 1, true)
    expect(tracker.cost(5_000, 0)).toBeGreaterThan(100)
  })

  it('refuses a decay time that is not positive', () => {
    expect(() => peakEwmaLoad({ decayMs: 0 })).toThrow(RangeError)
  })
})

describe('pendingRequestsLoad and constantLoad', () => {
  it('cost the calls in flight, and nothing, whatever latency was seen', () => {
    const pending = pendingRequestsLoad().track(0)
    const constant = constantLoad().track(0)
    pending.observe(1, 999, false)
    constant.observe(1, 999, false)
    expect(pending.cost(2, 4)).toBe(4)
    expect(constant.cost(2, 4)).toBe(0)
  })
})
