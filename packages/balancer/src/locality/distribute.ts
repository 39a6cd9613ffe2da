import { localityMatches, type Locality } from './locality.js'

export type DistributeRules = ReadonlyArray<{ readonly from: string; readonly to: Readonly<Record<string, number>> }>

/** A group of endpoints sharing one locality, with its Envoy locality weight. */
export interface LocalityGroupInput {
  readonly locality: Locality
  /** Sum of the endpoint weights in the locality (what Istio's EDS sends). */
  readonly weight: number
}

/**
 * Istio's `applyLocalityWeights`: the first rule whose `from` matches our locality decides. Each
 * `to` entry shares its weight among the not-yet-claimed localities it matches, in proportion to
 * their own weights and rounded up; localities no entry claims get no traffic (undefined). Entries
 * are taken in the order written (Go walks its map in random order; a locality matched by two
 * entries is a configuration to avoid in either case). Returns undefined when no rule applies.
 */
export function distributeWeights(
  local: Locality,
  rules: DistributeRules,
  groups: readonly LocalityGroupInput[],
): Array<number | undefined> | undefined {
  const rule = rules.find((candidate) => localityMatches(candidate.from, local))
  if (rule === undefined) return undefined
  const weights = new Array<number | undefined>(groups.length).fill(undefined)
  for (const [pattern, share] of Object.entries(rule.to)) {
    const claimed: number[] = []
    let total = 0
    groups.forEach((group, index) => {
      if (weights[index] === undefined && !claimed.includes(index) && localityMatches(pattern, group.locality)) {
        claimed.push(index)
        total += group.weight
      }
    })
    for (const index of claimed) {
      const weight = Math.ceil((groups[index]!.weight * share) / total)
      // Claimed even when the share is 0, so a later entry cannot take it back.
      weights[index] = weight
    }
  }
  return weights.map((weight) => (weight === undefined || weight <= 0 ? undefined : weight))
}
