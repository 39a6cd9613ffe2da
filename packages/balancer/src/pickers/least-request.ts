import type { Host } from '../endpoint/host.js'
import { DEFAULT_LEAST_REQUEST } from '../config/defaults.js'
import { EdfPicker } from './edf.js'
import { PowerOfChoices } from './p2c.js'
import { allEqual, anyWarming, type Picker, type PickerEnv, type PickerFactory } from './picker.js'

export interface LeastRequestSettings {
  readonly activeRequestBias?: number | undefined
  readonly choiceCount?: number | undefined
}

/**
 * LEAST_REQUEST as Envoy does it (load_balancers.rst "Weighted least request"): with equal weights,
 * P2C on the load metric (active requests); with unequal weights, or while an endpoint warms up,
 * a weighted schedule whose weight is read at pick time as weight / (active + 1)^bias.
 */
export function leastRequestPicker(settings: LeastRequestSettings = {}): PickerFactory {
  const bias = settings.activeRequestBias ?? DEFAULT_LEAST_REQUEST.activeRequestBias
  const choices = settings.choiceCount ?? DEFAULT_LEAST_REQUEST.choiceCount
  return {
    name: 'least-request',
    usesHash: false,
    supportsWarmup: true,
    build<E>(hosts: readonly Host<E>[], weights: readonly number[], env: PickerEnv): Picker<E> {
      if (allEqual(weights) && !anyWarming(hosts, env)) return new PowerOfChoices(hosts, undefined, choices, env)
      const slowStart = env.slowStart
      return new EdfPicker(hosts, (index) => {
        const host = hosts[index]!
        const warm = slowStart === undefined ? 1 : slowStart.factor(host, env.now())
        const base = weights[index]! * warm
        return bias === 1 ? base / (host.active + 1) : base / Math.pow(host.active + 1, bias)
      })
    },
  }
}
