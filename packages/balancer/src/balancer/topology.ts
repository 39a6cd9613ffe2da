import type { LocalityConfig } from '../config/config.js'
import type { Host } from '../endpoint/host.js'
import { distributeWeights } from '../locality/distribute.js'
import { formatLocality, type Locality } from '../locality/locality.js'
import { assignPriorities } from '../locality/priorities.js'

/** Hosts of one locality within one priority, with the Envoy locality weight of the group. */
export interface LocalityGroup<E> {
  readonly localityKey: string
  readonly weight: number
  readonly hosts: readonly Host<E>[]
}

export interface PriorityLevel<E> {
  readonly groups: readonly LocalityGroup<E>[]
}

/**
 * The endpoints arranged as Envoy would receive them from Istio: priorities (locality failover),
 * each split by locality when locality-weighted balancing is on. Recomputed when endpoints or
 * policy change, never per request; health is applied on top of it by the view.
 */
export interface Topology<E> {
  readonly levels: readonly PriorityLevel<E>[]
  /** Pick a locality by weight before the host (Envoy locality_weighted_lb_config). */
  readonly localityWeighted: boolean
  /** Hosts that can receive traffic (`distribute` may leave some localities out). */
  readonly hostCount: number
}

export interface TopologySettings {
  readonly locality: LocalityConfig | undefined
  readonly local: Locality
  readonly localLabels: Readonly<Record<string, string>>
  readonly outlierDetectionEnabled: boolean
}

export function buildTopology<E>(hosts: readonly Host<E>[], settings: TopologySettings): Topology<E> {
  const locality = settings.locality
  const enabled = locality?.enabled !== false
  const distribute = enabled ? (locality?.distribute ?? []) : []
  const failover = locality?.failover ?? []
  const failoverPriority = locality?.failoverPriority ?? []

  if (distribute.length > 0) {
    const byLocality = groupBy(hosts, (host) => host.localityKey)
    const groups = [...byLocality.values()]
    const weights = distributeWeights(
      settings.local,
      distribute,
      groups.map((members) => ({ locality: members[0]!.locality, weight: sumWeights(members) })),
    )
    // Istio: a distribute rule for our locality rewrites locality weights; failover is not applied.
    if (weights !== undefined) {
      const kept: Array<LocalityGroup<E>> = []
      groups.forEach((members, index) => {
        const weight = weights[index]
        if (weight !== undefined) kept.push({ localityKey: members[0]!.localityKey, weight, hosts: members })
      })
      for (const host of hosts) host.priority = 0
      return { levels: [{ groups: kept }], localityWeighted: true, hostCount: kept.reduce((sum, group) => sum + group.hosts.length, 0) }
    }
  }

  // Istio applies failover priorities only when outlier detection can eject hosts.
  const failoverActive = enabled && distribute.length === 0 && settings.outlierDetectionEnabled
  const priorities = failoverActive
    ? assignPriorities(hosts, { local: settings.local, localLabels: settings.localLabels, failover, failoverPriority })
    : hosts.map(() => 0)
  const localityWeighted = distribute.length > 0 || (failoverActive && (failover.length > 0 || failoverPriority.length > 0))

  const levelCount = hosts.length === 0 ? 0 : priorities.reduce((most, priority) => Math.max(most, priority), 0) + 1
  const levels: Array<PriorityLevel<E>> = []
  for (let level = 0; level < levelCount; level++) {
    const members = hosts.filter((_, index) => priorities[index] === level)
    for (const host of members) host.priority = level
    const groups = localityWeighted
      ? [...groupBy(members, (host) => host.localityKey).values()].map((group) => ({
          localityKey: group[0]!.localityKey,
          weight: sumWeights(group),
          hosts: group,
        }))
      : [{ localityKey: '*', weight: sumWeights(members), hosts: members }]
    levels.push({ groups })
  }
  return { levels, localityWeighted, hostCount: hosts.length }
}

export function localityKeyOf(locality: Locality): string {
  return formatLocality(locality)
}

function sumWeights<E>(hosts: readonly Host<E>[]): number {
  let sum = 0
  for (const host of hosts) sum += host.weight
  return sum
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}
