import type { Host } from '../endpoint/host.js'
import { AliasTable } from '../internal/alias-table.js'
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
  private readonly table: AliasTable

  constructor(
    private readonly hosts: readonly Host<E>[],
    weights: readonly number[],
    private readonly env: PickerEnv,
  ) {
    this.table = new AliasTable(weights)
  }

  pick(): Host<E> | undefined {
    if (this.hosts.length === 0) return undefined
    return this.hosts[this.table.draw(this.env.random())]
  }
}
