import type { BalancerAlgorithm } from '../config/config.js'
import type { SlowStart } from '../warmup/slow-start.js'
import type { HealthView } from './view.js'

export interface HostState {
  readonly key: string
  readonly weight: number
  readonly active: number
  /** The load metric's current cost (lower is preferred by P2C pickers). */
  readonly cost: number
  /** Slow-start multiplier in (0, 1]; 1 when not warming. */
  readonly warmupFactor: number
}

export interface BalancerState {
  readonly algorithm: BalancerAlgorithm
  /** Panic mode: below the panic threshold ejected endpoints are used as well. */
  readonly panic: boolean
  readonly levels: ReadonlyArray<{
    readonly priority: number
    /** Percent of traffic this priority receives. */
    readonly load: number
    readonly localities: ReadonlyArray<{ readonly locality: string; readonly effectiveWeight: number; readonly hosts: readonly HostState[] }>
  }>
}

/** Only the healthy (usable) hosts appear; ejected ones are left out as the pickers leave them out. */
export function describeView<E>(algorithm: BalancerAlgorithm, view: HealthView<E>, nowMs: number, slowStart: SlowStart | undefined): BalancerState {
  return {
    algorithm,
    panic: view.panic,
    levels: view.levels.map((level, priority) => ({
      priority,
      load: level.load,
      localities: level.groups.map((group) => ({
        locality: group.localityKey,
        effectiveWeight: group.effectiveWeight,
        hosts: group.hosts.map((host) => ({
          key: host.key,
          weight: host.weight,
          active: host.active,
          cost: host.load.cost(nowMs, host.active),
          warmupFactor: slowStart === undefined ? 1 : slowStart.factor(host, nowMs),
        })),
      })),
    })),
  }
}
