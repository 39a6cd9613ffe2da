import type { Random } from '@meshlet/core'
import type { Host } from '../endpoint/host.js'
import type { SlowStart } from '../warmup/slow-start.js'

/** What every picker may read besides its hosts. */
export interface PickerEnv {
  readonly random: Random
  now(): number
  /** Whether the balancer's load metric reads the time (P2C then passes it; otherwise 0). */
  readonly loadReadsClock: boolean
  /** Present when warmup is configured and the picker honours it. */
  readonly slowStart: SlowStart | undefined
}

/**
 * Chooses one host among those it was built with (already filtered to the healthy ones of one
 * priority or locality). Built again whenever that set changes, so a pick is cheap.
 */
export interface Picker<E> {
  /** `hash` is the request's 53-bit hash; only consistent-hash pickers read it. */
  pick(hash: number): Host<E> | undefined
}

export interface PickerFactory {
  readonly name: string
  /** Consistent-hash pickers: no previous-host avoidance, priority chosen by hash. */
  readonly usesHash: boolean
  /** Whether slow start changes its weights (Istio: ROUND_ROBIN and LEAST_REQUEST only). */
  readonly supportsWarmup: boolean
  /**
   * `weights[i]` is the static weight of `hosts[i]` (the endpoint weight, scaled by the locality
   * share for consistent-hash pickers, which see a whole priority at once).
   */
  build<E>(hosts: readonly Host<E>[], weights: readonly number[], env: PickerEnv): Picker<E>
}

export function allEqual(weights: readonly number[]): boolean {
  for (let index = 1; index < weights.length; index++) if (weights[index] !== weights[0]) return false
  return true
}

export function anyWarming<E>(hosts: readonly Host<E>[], env: PickerEnv): boolean {
  const slowStart = env.slowStart
  if (slowStart === undefined) return false
  const now = env.now()
  return hosts.some((host) => slowStart.isWarming(host, now))
}

export const emptyPicker: Picker<never> = { pick: () => undefined }
