import type { Host } from '../endpoint/host.js'
import { EdfPicker } from './edf.js'
import { allEqual, anyWarming, type Picker, type PickerEnv, type PickerFactory } from './picker.js'

/**
 * ROUND_ROBIN. Equal weights and nobody warming: plain rotation, starting at a random host so
 * that many clients started together do not all hit the first endpoint (Envoy seeds its index the
 * same way). Otherwise Envoy's weighted schedule (EDF), with slow start scaling the weights.
 */
export function roundRobinPicker(): PickerFactory {
  return {
    name: 'round-robin',
    usesHash: false,
    supportsWarmup: true,
    build<E>(hosts: readonly Host<E>[], weights: readonly number[], env: PickerEnv): Picker<E> {
      if (allEqual(weights) && !anyWarming(hosts, env)) return new Rotation(hosts, Math.floor(env.random() * hosts.length))
      const slowStart = env.slowStart
      if (slowStart === undefined) return new EdfPicker(hosts, (index) => weights[index]!)
      return new EdfPicker(hosts, (index) => weights[index]! * slowStart.factor(hosts[index]!, env.now()))
    },
  }
}

class Rotation<E> implements Picker<E> {
  constructor(
    private readonly hosts: readonly Host<E>[],
    private next: number,
  ) {}

  pick(): Host<E> | undefined {
    const hosts = this.hosts
    if (hosts.length === 0) return undefined
    const host = hosts[this.next]
    this.next = this.next + 1 >= hosts.length ? 0 : this.next + 1
    return host
  }
}
