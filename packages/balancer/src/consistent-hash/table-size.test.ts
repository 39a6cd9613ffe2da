import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { Host } from '../endpoint/host.js'
import type { PickerEnv } from '../pickers/picker.js'
import { hash53 } from './hash.js'
import { Maglev, maglevPicker } from './maglev.js'
import { RingHash, ringHashPicker } from './ring-hash.js'

const env: PickerEnv = { random: seededRandom(1), now: () => 0, loadReadsClock: false, slowStart: undefined }
const hosts = (count: number) => Array.from({ length: count }, (_, i) => new Host(`10.0.0.${i}:80`, i, 1, undefined as never, '', {}, undefined as never))

/** The share of 20,000 distinct keys the first host gets. */
function firstHostShare(picker: { pick(hash: number): Host<number> | undefined }): number {
  let first = 0
  for (let key = 0; key < 20_000; key++) if (picker.pick(hash53(`user-${key}`))?.endpoint === 0) first++
  return first / 20_000
}

describe('consistent hash table sizes', () => {
  it('builds a ring of at least minimumRingSize entries, 1024 when unset', () => {
    const ring = (minimumRingSize?: number) => ringHashPicker({ minimumRingSize }).build(hosts(3), [1, 1, 1], env) as RingHash<number>
    expect(ring().size).toBeGreaterThanOrEqual(1024)
    expect(ring(8192).size).toBeGreaterThanOrEqual(8192)
    expect(ring(8192).size).toBeGreaterThan(ring().size)
  })

  it('splits keys in steps of one maglev table slot: a 7-slot table cannot give two hosts half each', () => {
    const tiny = maglevPicker({ tableSize: 7 }).build(hosts(2), [1, 1], env) as Maglev<number>
    const large = maglevPicker({}).build(hosts(2), [1, 1], env) as Maglev<number>
    expect(tiny.tableSize).toBe(7)
    expect(large.tableSize).toBe(65_537)
    // 3 or 4 of 7 slots: about 43 % or 57 %, never the 50 % a large table gives.
    expect(Math.abs(firstHostShare(tiny) - 0.5)).toBeGreaterThan(0.04)
    expect(Math.abs(firstHostShare(large) - 0.5)).toBeLessThan(0.02)
  })
})
