import type { DestinationRuleInfo, Inventory } from './inventory.js'
import { hostMatches, isWildcardHost } from './hosts.js'

/**
 * The DestinationRules that apply to an FQDN host: those with exactly that host, else those with
 * the most specific matching wildcard (Istio MostSpecificHostMatch, reference §1). Analysis treats
 * every loaded rule as visible (it cannot know the caller's namespace), so several namespaces'
 * rules for one host are returned together.
 */
export function destinationRulesFor(inventory: Inventory, host: string): DestinationRuleInfo[] {
  const exact = inventory.destinationRules.filter((dr) => dr.host === host)
  if (exact.length > 0) return exact
  let best: string | undefined
  for (const dr of inventory.destinationRules) {
    if (dr.host === undefined || !isWildcardHost(dr.host) || !hostMatches(dr.host, host)) continue
    if (best === undefined || dr.host.length > best.length) best = dr.host
  }
  return best === undefined ? [] : inventory.destinationRules.filter((dr) => dr.host === best)
}
