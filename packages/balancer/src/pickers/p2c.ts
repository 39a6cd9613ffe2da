import type { Host } from '../endpoint/host.js'
import { AliasTable } from '../internal/alias-table.js'
import { allEqual, type Picker, type PickerEnv, type PickerFactory } from './picker.js'

export interface P2cSettings {
  /** How many random hosts to compare; 2 is "power of two choices". */
  readonly choices?: number | undefined
}

/**
 * Power of two choices: draw two different hosts at random (by weight when weights differ) and keep
 * the one whose load metric is lower; the first drawn wins a tie. Which load is compared is the
 * balancer's business: active requests for LEAST_REQUEST, peak-EWMA latency × (active + 1) for
 * PEAK_EWMA (Mitzenmacher; Finagle P2C; tower `p2c::Balance`).
 */
export function p2cPicker(settings: P2cSettings = {}): PickerFactory {
  const choices = Math.max(2, settings.choices ?? 2)
  return {
    name: 'p2c',
    usesHash: false,
    supportsWarmup: false,
    build<E>(hosts: readonly Host<E>[], weights: readonly number[], env: PickerEnv): Picker<E> {
      return new PowerOfChoices(hosts, allEqual(weights) ? undefined : weights, choices, env)
    },
  }
}

export class PowerOfChoices<E> implements Picker<E> {
  /** Weighted draws when weights differ. */
  private readonly table: AliasTable | undefined

  constructor(
    private readonly hosts: readonly Host<E>[],
    weights: readonly number[] | undefined,
    private readonly choices: number,
    private readonly env: PickerEnv,
  ) {
    this.table = weights === undefined ? undefined : new AliasTable(weights)
  }

  pick(): Host<E> | undefined {
    const hosts = this.hosts
    const count = hosts.length
    if (count <= 1) return hosts[0]
    const now = this.env.loadReadsClock ? this.env.now() : 0
    const first = this.draw(-1)
    let best = hosts[first]!
    let bestCost = best.load.cost(now, best.active)
    for (let choice = 1; choice < this.choices; choice++) {
      const candidate = hosts[this.draw(first)]!
      const cost = candidate.load.cost(now, candidate.active)
      if (cost < bestCost) {
        best = candidate
        bestCost = cost
      }
    }
    return best
  }

  /** A random index, different from `avoid` when the draw is uniform. */
  private draw(avoid: number): number {
    const count = this.hosts.length
    const random = this.env.random()
    if (this.table === undefined) {
      if (avoid < 0) return Math.floor(random * count)
      const index = Math.floor(random * (count - 1))
      return index >= avoid ? index + 1 : index
    }
    return this.table.draw(random)
  }
}
