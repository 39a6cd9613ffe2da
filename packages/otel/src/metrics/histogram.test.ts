import { describe, expect, it } from 'vitest'
import { ISTIO_DEFAULT_BUCKETS } from './buckets.js'
import { Histogram } from './histogram.js'

describe('Histogram', () => {
  it('counts a value equal to a bound in that bound (le is inclusive), and values above every bound in +Inf', () => {
    const histogram = new Histogram([1, 5, 10])
    for (const value of [0, 1, 1.5, 5, 10, 11]) histogram.observe(value)
    expect(histogram.cumulativeCounts()).toEqual([2, 4, 5, 6])
    expect(histogram.count).toBe(6)
    expect(histogram.sum).toBe(28.5)
  })

  it("uses Envoy's default buckets for Istio's histograms", () => {
    expect(ISTIO_DEFAULT_BUCKETS).toEqual([0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000])
  })
})
