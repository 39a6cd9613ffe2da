import type { Inventory } from '../inventory.js'
import type { Report } from '../finding.js'
import { refName } from '../finding.js'

/**
 * A route or mirror names a subset no DestinationRule for its host defines (the exact host's rules,
 * else the most specific wildcard's, as the runtime looks them up; every rule in the files counts
 * as visible): Envoy has no cluster
 * for it and answers 503 (istioctl analyze IST0101, "Referenced host+subset in destinationrule not
 * found"; reference §4 and §18.7).
 */
export function checkSubsetReferences(inventory: Inventory, report: Report): void {
  for (const vs of inventory.virtualServices) {
    for (const destination of vs.destinations) {
      if (destination.subset === undefined) continue
      const host = destination.host
      const rules = inventory.destinationRulesByHost.mostSpecific(host)
      if (rules.some((dr) => dr.subsets.some((subset) => subset.name === destination.subset))) continue
      const defined = [...new Set(rules.flatMap((dr) => dr.subsets.map((subset) => subset.name)))]
      const where =
        rules.length === 0
          ? `no DestinationRule for host ${host} is in these files`
          : `DestinationRule ${rules.map((dr) => refName(dr.resource)).join(', ')} for host ${host} defines ${defined.length === 0 ? 'no subsets' : defined.join(', ')}`
      const effect = destination.role === 'mirror' ? 'mirrored copies to it fail (the call itself is unaffected)' : 'calls routed here fail with 503'
      report(
        vs.resource,
        [...destination.path, 'subset'],
        'ANALYSIS_SUBSET_NOT_FOUND',
        `subset "${destination.subset}" is not defined: ${where} (istioctl analyze IST0101 ReferencedResourceNotFound); ${effect}`,
      )
    }
  }
}
