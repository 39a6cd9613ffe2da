import type { Host } from '../endpoint/host.js'
import { upperBound } from '../internal/search.js'
import { allEqual, type Picker, type PickerEnv, type PickerFactory } from './picker.js'

/**
 * RANDOM: a host drawn with probability weight / total weight (uniform when weights are equal).
 * Envoy's own random balancer ignores endpoint weights inside a locality; meshlet honours the
 * ServiceEntry/WorkloadEntry weights, which only differs when they are set.
 */
export function randomPicker(): PickerFactory {
  return {
    name: 'random',
    usesHash: false,
    supportsWarmup: false,
    build<E>(hosts: readonly Host<E>[], weights: readonly number[], env: PickerEnv): Picker<E> {
      if (allEqual(weights)) return new UniformRandom(hosts, env)
      return new WeightedRandom(hosts, weights, env)
    },
  }
}

class UniformRandom<E> implements Picker<E> {
  constructor(
    private readonly hosts: readonly Host<E>[],
    private readonly env: PickerEnv,
  ) {}

  pick(): Host<E> | undefined {
    return this.hosts[Math.floor(this.env.random() * this.hosts.length)]
  }
}

export class WeightedRandom<E> implements Picker<E> {
  private readonly cumulative: Float64Array
  private readonly total: number

  constructor(
    private readonly hosts: readonly Host<E>[],
    weights: readonly number[],
    private readonly env: PickerEnv,
  ) {
    this.cumulative = new Float64Array(hosts.length)
    let sum = 0
    for (let index = 0; index < hosts.length; index++) {
      sum += weights[index]!
      this.cumulative[index] = sum
    }
    this.total = sum
  }

  pick(): Host<E> | undefined {
    if (this.hosts.length === 0) return undefined
    const index = upperBound(this.cumulative, this.env.random() * this.total)
    return this.hosts[Math.min(index, this.hosts.length - 1)]
  }
}
