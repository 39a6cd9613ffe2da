import type { DestinationRuleInfo, Inventory } from '../inventory.js'
import type { Report } from '../finding.js'
import { refName } from '../finding.js'
import { compareByAge } from '../../compile/order.js'

/**
 * Several DestinationRules of one namespace for one host (and the same workloadSelector) are merged
 * by Istio (`istio:pilot/pkg/model/destination_rule.go` mergeDestinationRule, reference §1): in age
 * order, subsets are concatenated and a subset name already defined is dropped; the top-level
 * trafficPolicy is the oldest rule's, and a later rule's is used only while no older one has one.
 * Rules in different namespaces are not merged (the caller's namespace picks one), so they are not
 * reported.
 */
export function checkDuplicateDestinationRules(inventory: Inventory, report: Report): void {
  const groups = new Map<string, DestinationRuleInfo[]>()
  for (const dr of inventory.destinationRules) {
    if (dr.host === undefined) continue
    const key = `${dr.resource.namespace} ${dr.host} ${dr.selectorKey}`
    groups.set(key, [...(groups.get(key) ?? []), dr])
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue
    const sorted = [...group].sort((a, b) => compareByAge(a.resource, b.resource))
    const first = sorted[0]!
    const policyOwner = sorted.find((dr) => dr.hasTrafficPolicy)
    const subsetOwners = new Map<string, DestinationRuleInfo>()
    for (const dr of sorted) {
      for (const subset of dr.subsets) {
        const owner = subsetOwners.get(subset.name)
        if (owner === undefined) {
          subsetOwners.set(subset.name, dr)
        } else if (owner !== dr) {
          report(
            dr.resource,
            ['spec', 'subsets', subset.index, 'name'],
            'ANALYSIS_DUPLICATE_SUBSET',
            `subset "${subset.name}" of host ${dr.host} is already defined by the older DestinationRule ${refName(owner.resource)}; Istio merges the rules and drops this definition`,
          )
        }
      }
      if (dr === first) continue
      const merged = `DestinationRule ${refName(first.resource)} also configures host ${dr.host}; Istio merges rules of one namespace for one host (oldest first: creationTimestamp, then name): subsets are added to the oldest rule's`
      if (dr.hasTrafficPolicy && dr !== policyOwner) {
        report(
          dr.resource,
          ['spec', 'trafficPolicy'],
          'ANALYSIS_DUPLICATE_DESTINATION_RULE',
          `${merged}, and only the top-level trafficPolicy of ${refName(policyOwner!.resource)} applies: this one is ignored`,
        )
      } else {
        const policy = dr === policyOwner ? `, and this rule's top-level trafficPolicy applies because no older rule has one` : ''
        report(dr.resource, ['spec', 'host'], 'ANALYSIS_DUPLICATE_DESTINATION_RULE', `${merged}${policy}; consider one DestinationRule per host`)
      }
    }
  }
}
