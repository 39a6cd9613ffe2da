import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { fullJitterBackoffMs } from './backoff.js'

describe('fullJitterBackoffMs', () => {
  it('draws retry N from [0, (2^N - 1) x base) under a seeded random', () => {
    const random = seededRandom(42)
    for (let retry = 1; retry <= 3; retry++) {
      const upper = (2 ** retry - 1) * 25
      const waits = Array.from({ length: 2000 }, () => fullJitterBackoffMs(retry, 25, 250, random))
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(0)
      expect(Math.max(...waits)).toBeLessThan(upper)
      expect(waits.every(Number.isInteger)).toBe(true)
      // Full jitter spreads over the whole range, not just its bottom.
      expect(Math.max(...waits)).toBeGreaterThan(upper * 0.9)
    }
  })

  it('caps the range at the max interval', () => {
    const random = seededRandom(7)
    const waits = Array.from({ length: 2000 }, () => fullJitterBackoffMs(10, 25, 250, random))
    expect(Math.max(...waits)).toBeLessThan(250)
    expect(Math.max(...waits)).toBeGreaterThan(225)
  })

  it('defaults the cap to 10 times the base when none is given or it is below the base', () => {
    expect(fullJitterBackoffMs(20, 25, undefined, () => 0.999_999)).toBe(249)
    expect(fullJitterBackoffMs(20, 25, 10, () => 0.999_999)).toBe(249)
  })

  it('repeats the same waits for the same seed', () => {
    const a = seededRandom(3)
    const b = seededRandom(3)
    const waits = (random: () => number) => [1, 2, 3, 4].map((retry) => fullJitterBackoffMs(retry, 25, 250, random))
    expect(waits(a)).toEqual(waits(b))
  })

  it('waits nothing with a zero base', () => {
    expect(fullJitterBackoffMs(3, 0, 0, () => 0.5)).toBe(0)
  })
})
