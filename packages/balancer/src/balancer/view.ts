import type { Host } from '../endpoint/host.js'
import { upperBound } from '../internal/search.js'
import { effectiveLocalityWeight, priorityLoads } from '../locality/health.js'
import type { Picker, PickerEnv, PickerFactory } from '../pickers/picker.js'
import type { Topology } from './topology.js'

interface GroupView<E> {
  readonly localityKey: string
  readonly picker: Picker<E>
  readonly hosts: readonly Host<E>[]
  readonly effectiveWeight: number
}

interface LevelView<E> {
  readonly load: number
  readonly groups: readonly GroupView<E>[]
  /** Cumulative effective weights of `groups`, for the weighted locality pick. */
  readonly cumulative: Float64Array
  readonly total: number
}

/**
 * The topology seen through current health: per priority, its share of traffic (Envoy's priority
 * load with overprovisioning), its localities with availability-adjusted weights, and a picker over
 * the healthy hosts of each. Built when health, endpoints or slow-start weights change; a pick only
 * reads it.
 */
export class HealthView<E> {
  readonly levels: readonly LevelView<E>[]
  /** Cumulative priority loads in percent (last is 100, or 0 when nothing is healthy). */
  private readonly cumulativeLoads: Int32Array
  readonly empty: boolean
  readonly panic: boolean

  constructor(topology: Topology<E>, factory: PickerFactory, env: PickerEnv, panicThresholdPercent: number) {
    let total = 0
    let healthy = 0
    for (const level of topology.levels)
      for (const group of level.groups)
        for (const host of group.hosts) {
          total++
          if (!host.ejected) healthy++
        }
    // Envoy panic mode: below the threshold, ejection is ignored. Istio's default threshold is 0.
    this.panic = total > 0 && healthy * 100 < panicThresholdPercent * total
    const isUsable = this.panic ? () => true : (host: Host<E>) => !host.ejected

    const healthyPerLevel: number[] = []
    const totalPerLevel: number[] = []
    const usablePerLevel = topology.levels.map((level) => {
      let levelTotal = 0
      const groups = level.groups.map((group) => {
        levelTotal += group.hosts.length
        const usable = group.hosts.filter(isUsable)
        return { group, usable }
      })
      healthyPerLevel.push(groups.reduce((sum, entry) => sum + entry.usable.length, 0))
      totalPerLevel.push(levelTotal)
      return groups
    })
    const loads = priorityLoads(healthyPerLevel, totalPerLevel)

    this.levels = usablePerLevel.map((groups, index) => {
      const load = loads[index]!
      const views: Array<GroupView<E>> = []
      if (load > 0) {
        if (factory.usesHash) views.push(hashGroup(groups, topology.localityWeighted, factory, env))
        else
          for (const { group, usable } of groups) {
            if (usable.length === 0) continue
            const effectiveWeight = topology.localityWeighted ? effectiveLocalityWeight(group.weight, usable.length, group.hosts.length) : 1
            if (effectiveWeight <= 0) continue
            const weights = usable.map((host) => host.weight)
            views.push({ localityKey: group.localityKey, picker: factory.build(usable, weights, env), hosts: usable, effectiveWeight })
          }
      }
      const cumulative = new Float64Array(views.length)
      let sum = 0
      views.forEach((view, position) => (cumulative[position] = sum += view.effectiveWeight))
      return { load, groups: views, cumulative, total: sum }
    })

    this.cumulativeLoads = new Int32Array(loads.length)
    let running = 0
    loads.forEach((load, index) => (this.cumulativeLoads[index] = running += load))
    this.empty = running === 0
  }

  /** The priority for a number in 0..99 (a random draw, or the request hash modulo 100). */
  levelFor(percent: number): LevelView<E> | undefined {
    const loads = this.cumulativeLoads
    if (loads.length === 1) return this.levels[0]
    for (let index = 0; index < loads.length; index++) if (percent < loads[index]!) return this.levels[index]
    return undefined
  }

  /** A locality of the level, by effective weight. */
  groupFor(level: LevelView<E>, random: () => number): GroupView<E> | undefined {
    const groups = level.groups
    if (groups.length <= 1) return groups[0]
    return groups[Math.min(upperBound(level.cumulative, random() * level.total), groups.length - 1)]
  }
}

/**
 * Consistent hash sees a whole priority at once (one ring per priority, as in Envoy), each host's
 * share scaled by its locality's effective weight when locality weighting is on.
 */
function hashGroup<E>(
  groups: ReadonlyArray<{ group: Topology<E>['levels'][number]['groups'][number]; usable: Host<E>[] }>,
  localityWeighted: boolean,
  factory: PickerFactory,
  env: PickerEnv,
): GroupView<E> {
  const hosts: Array<Host<E>> = []
  const weights: number[] = []
  for (const { group, usable } of groups) {
    if (usable.length === 0) continue
    const usableWeight = usable.reduce((sum, host) => sum + host.weight, 0)
    const scale = localityWeighted ? effectiveLocalityWeight(group.weight, usable.length, group.hosts.length) / usableWeight : 1
    if (scale <= 0) continue
    for (const host of usable) {
      hosts.push(host)
      weights.push(host.weight * scale)
    }
  }
  return { localityKey: '*', picker: factory.build(hosts, weights, env), hosts, effectiveWeight: 1 }
}
