import { describe, expect, it } from 'vitest'
import { strategyFor } from './algorithms.js'

/** Cost of an endpoint first seen at 0 with a 100 ms estimate, after a 20 ms answer at 1 s. */
function costAfterFastAnswer(decayMsOfConfig: number | undefined, decayMsOfOptions: number | undefined): number {
  const strategy = strategyFor({ algorithm: 'PEAK_EWMA', peakEwmaDecayMs: decayMsOfConfig }, { peakEwma: { decayMs: decayMsOfOptions, defaultRttMs: 100 } })
  const tracker = strategy!.load.track(0)
  tracker.observe(1_000, 20, false)
  return tracker.cost(1_000, 0)
}

describe('strategyFor PEAK_EWMA', () => {
  it('uses the destination decay (meshlet.io/peak-ewma) over the mesh-wide one', () => {
    const blended = (decayMs: number) => 100 * Math.exp(-1_000 / decayMs) + 20 * (1 - Math.exp(-1_000 / decayMs))
    expect(costAfterFastAnswer(1_000, 10_000)).toBeCloseTo(blended(1_000), 6)
    expect(costAfterFastAnswer(undefined, 10_000)).toBeCloseTo(blended(10_000), 6)
  })
})
