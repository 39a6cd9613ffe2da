import type { Host } from '../endpoint/host.js'
import { DEFAULT_CONSISTENT_HASH } from '../config/defaults.js'
import { lowerBound } from '../internal/search.js'
import type { Picker, PickerFactory } from '../pickers/picker.js'
import { hash53 } from './hash.js'

export interface RingHashSettings {
  /** 0 or absent: Envoy's default of 1024. */
  readonly minimumRingSize?: number | undefined
  readonly maximumRingSize?: number | undefined
}

/**
 * Ketama ring (envoy docs load_balancers.rst "Ring hash"; ring_hash_lb): each host is hashed onto
 * the ring a number of times proportional to its weight, the lightest host getting at least
 * minimumRingSize × its share (the ring holds between minimumRingSize and about twice that); a
 * request goes to the first entry at or after its own hash, wrapping around. Removing one of N
 * equal hosts moves only the keys that host owned, about 1/N.
 */
export function ringHashPicker(settings: RingHashSettings = {}): PickerFactory {
  const minimumRingSize = settings.minimumRingSize || DEFAULT_CONSISTENT_HASH.minimumRingSize
  const maximumRingSize = settings.maximumRingSize ?? DEFAULT_CONSISTENT_HASH.maximumRingSize
  return {
    name: 'ring-hash',
    usesHash: true,
    supportsWarmup: false,
    build<E>(hosts: readonly Host<E>[], weights: readonly number[]): Picker<E> {
      return new RingHash(hosts, weights, minimumRingSize, maximumRingSize)
    },
  }
}

export class RingHash<E> implements Picker<E> {
  readonly size: number
  private readonly positions: Float64Array
  private readonly owners: Int32Array

  constructor(
    private readonly hosts: readonly Host<E>[],
    weights: readonly number[],
    minimumRingSize: number,
    maximumRingSize: number,
  ) {
    const total = weights.reduce((sum, weight) => sum + weight, 0)
    if (hosts.length === 0 || total <= 0) {
      this.size = 0
      this.positions = new Float64Array(0)
      this.owners = new Int32Array(0)
      return
    }
    const lightest = weights.reduce((least, weight) => Math.min(least, weight), Infinity)
    // Entries per unit of the lightest weight, so the lightest host gets its share of the minimum
    // ring size (Envoy's scale). Rounded up to a power of two: the count then stays the same when
    // a host comes or goes, and only the keys of that host move (Envoy recomputes it exactly and
    // moves ~2/N keys when one of N hosts leaves a 1024 ring).
    let perUnit = 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil((minimumRingSize * lightest) / total))))
    while (perUnit > 1 && (perUnit * total) / lightest > maximumRingSize) perUnit /= 2
    const entries: Array<{ position: number; owner: number }> = []
    for (let owner = 0; owner < hosts.length; owner++) {
      const replicas = Math.max(1, Math.round((perUnit * weights[owner]!) / lightest))
      const key = hosts[owner]!.key
      for (let replica = 0; replica < replicas; replica++) entries.push({ position: hash53(`${key}_${replica}`), owner })
    }
    // Equal positions are ordered by owner so the ring does not depend on insertion order.
    entries.sort((a, b) => a.position - b.position || hosts[a.owner]!.key.localeCompare(hosts[b.owner]!.key))
    this.size = entries.length
    this.positions = Float64Array.from(entries, (entry) => entry.position)
    this.owners = Int32Array.from(entries, (entry) => entry.owner)
  }

  pick(hash: number): Host<E> | undefined {
    if (this.size === 0) return undefined
    let index = lowerBound(this.positions, hash)
    if (index === this.size) index = 0
    return this.hosts[this.owners[index]!]
  }
}
