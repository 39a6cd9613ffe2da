import { describe, expect, it } from 'vitest'
import { seededRandom } from './random.js'

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const first = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(first)
  })

  it('gives different sequences for different seeds', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(2)())
  })

  it('stays in [0, 1) and spreads evenly across ten buckets', () => {
    const random = seededRandom(7)
    const buckets = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const value = random()
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThan(1)
      buckets[Math.floor(value * 10)]! += 1
    }
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500)
  })
})
