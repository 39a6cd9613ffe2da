import type { CompiledDestination, RouteToDestinations } from '../compile/snapshot.js'

/**
 * The weighted pick Envoy makes per request (`weighted_cluster_specifier.cc` pickWeightedCluster):
 * `random` in [0, 1) scaled to the total weight falls into one destination's cumulative interval.
 * Binary search, so a long split costs log(n).
 */
export function pickDestination(action: RouteToDestinations, random: number): CompiledDestination {
  const { destinations, cumulativeWeights } = action
  if (destinations.length === 1) return destinations[0]!
  const target = random * action.totalWeight
  let low = 0
  let high = cumulativeWeights.length - 1
  while (low < high) {
    const middle = (low + high) >>> 1
    if (cumulativeWeights[middle]! > target) high = middle
    else low = middle + 1
  }
  return destinations[low]!
}
