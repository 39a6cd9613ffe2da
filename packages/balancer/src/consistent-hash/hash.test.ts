import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { hash32, hash53, randomHash53 } from './hash.js'

describe('hash32 and hash53', () => {
  it('build the 53-bit hash from the two 32-bit lanes', () => {
    for (const text of ['', 'a', 'ab', 'user-12345', 'ünïcödé']) {
      expect(hash53(text)).toBe((hash32(text, 0x9747b28c) & 0x1fffff) * 2 ** 32 + hash32(text, 0x2f693b5b))
    }
  })

  it('return the same value for the same text, and differ for near-identical texts', () => {
    expect(hash53('user-1')).toBe(hash53('user-1'))
    expect(hash53('user-1')).not.toBe(hash53('user-2'))
    expect(hash32('abc', 0)).not.toBe(hash32('abc', 1))
  })

  it('stay within [0, 2^53) and spread keys evenly over 16 buckets', () => {
    const buckets = new Array<number>(16).fill(0)
    for (let i = 0; i < 32_000; i++) {
      const value = hash53(`key-${i}`)
      expect(Number.isSafeInteger(value) && value >= 0).toBe(true)
      buckets[Math.floor(value / 2 ** 49)]! += 1
    }
    for (const count of buckets) expect(Math.abs(count - 2_000)).toBeLessThan(200)
  })

  it('flip about half the output bits when one input character changes', () => {
    let flipped = 0
    for (let i = 0; i < 1_000; i++) {
      const diff = hash32(`k${i}a`, 7) ^ hash32(`k${i}b`, 7)
      flipped += popcount(diff)
    }
    expect(flipped / 1_000).toBeGreaterThan(14)
    expect(flipped / 1_000).toBeLessThan(18)
  })

  it('draws random positions on the same scale', () => {
    const random = seededRandom(1)
    for (let i = 0; i < 100; i++) expect(randomHash53(random)).toBeLessThan(2 ** 53)
  })
})

function popcount(value: number): number {
  let count = 0
  for (let bits = value >>> 0; bits !== 0; bits >>>= 1) count += bits & 1
  return count
}
