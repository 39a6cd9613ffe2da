import type { Host } from '../endpoint/host.js'
import { DEFAULT_CONSISTENT_HASH } from '../config/defaults.js'
import type { Picker, PickerFactory } from '../pickers/picker.js'
import { hash32 } from './hash.js'

export interface MaglevSettings {
  /** A prime; 0 or absent: Envoy's default of 65537. */
  readonly tableSize?: number | undefined
}

const OFFSET_SEED = 0
const SKIP_SEED = 1

/**
 * Maglev (Eisenbud et al., NSDI 2016, §3.4; envoy docs load_balancers.rst "Maglev"): every host
 * walks its own permutation of a prime-sized table (offset + j × skip) and claims the next free
 * slot in turn, heavier hosts taking turns more often, until the table is full. A lookup is one
 * array read. Keys move a little more than with a ring when hosts change.
 */
export function maglevPicker(settings: MaglevSettings = {}): PickerFactory {
  const tableSize = settings.tableSize || DEFAULT_CONSISTENT_HASH.maglevTableSize
  return {
    name: 'maglev',
    usesHash: true,
    supportsWarmup: false,
    build<E>(hosts: readonly Host<E>[], weights: readonly number[]): Picker<E> {
      return new Maglev(hosts, weights, tableSize)
    },
  }
}

export class Maglev<E> implements Picker<E> {
  private readonly table: Int32Array

  constructor(
    private readonly hosts: readonly Host<E>[],
    weights: readonly number[],
    readonly tableSize: number,
  ) {
    this.table = new Int32Array(hosts.length === 0 ? 0 : tableSize).fill(-1)
    if (hosts.length === 0) return
    const count = hosts.length
    // Each host's position in its own permutation (offset, offset + skip, ... mod tableSize),
    // advanced by addition so the build needs no division.
    const positions = new Int32Array(count)
    const skips = new Int32Array(count)
    const credit = new Float64Array(count)
    const heaviest = weights.reduce((most, weight) => Math.max(most, weight), 0)
    const shares = weights.map((weight) => weight / heaviest)
    // Hosts claim slots in key order so the table does not depend on the order hosts were given.
    const turnOrder = hosts.map((_, index) => index).sort((a, b) => (hosts[a]!.key < hosts[b]!.key ? -1 : 1))
    for (let index = 0; index < count; index++) {
      const key = hosts[index]!.key
      positions[index] = hash32(key, OFFSET_SEED) % tableSize
      skips[index] = (hash32(key, SKIP_SEED) % (tableSize - 1)) + 1
    }
    const table = this.table
    let filled = 0
    while (filled < tableSize) {
      for (const index of turnOrder) {
        credit[index] = credit[index]! + shares[index]!
        while (credit[index]! >= 1 && filled < tableSize) {
          credit[index] = credit[index]! - 1
          const skip = skips[index]!
          let slot = positions[index]!
          while (table[slot] !== -1) {
            slot += skip
            if (slot >= tableSize) slot -= tableSize
          }
          table[slot] = index
          slot += skip
          positions[index] = slot >= tableSize ? slot - tableSize : slot
          filled++
        }
        if (filled === tableSize) break
      }
    }
  }

  pick(hash: number): Host<E> | undefined {
    if (this.table.length === 0) return undefined
    return this.hosts[this.table[hash % this.tableSize]!]
  }

  /** Table entries per host key (for tests and the benchmark's spread check). */
  entriesPerHost(): Map<string, number> {
    const counts = new Map<string, number>()
    for (const owner of this.table) {
      const key = this.hosts[owner]!.key
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return counts
  }
}
