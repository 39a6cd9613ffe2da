import type { Inventory } from '../inventory.js'
import type { Report } from '../finding.js'
import { knownEndpointsByHost } from '../endpoints.js'
import { carriesLabels, formatLabels } from '../read.js'

/** Istio adds it from the cluster the endpoint runs in, which files do not say. */
const UNKNOWABLE_LABELS = ['topology.istio.io/cluster']

/**
 * A DestinationRule subset whose labels no endpoint of the host carries (istioctl analyze IST0173
 * DestinationRuleSubsetNotSelectPods): calls routed to it fail with 503 "no healthy upstream".
 * Checked only for ServiceEntry hosts whose endpoints the files fully describe (see endpoints.ts);
 * Kubernetes pods are invisible to meshlet, so other hosts are not judged.
 */
export function checkSubsetEndpoints(inventory: Inventory, report: Report): void {
  const endpoints = knownEndpointsByHost(inventory)
  for (const dr of inventory.destinationRules) {
    if (dr.host === undefined) continue
    const known = endpoints.get(dr.host)
    if (!known || known.labels.length === 0) continue
    for (const subset of dr.subsets) {
      const selector = Object.fromEntries(Object.entries(subset.labels).filter(([key]) => !UNKNOWABLE_LABELS.includes(key)))
      if (Object.keys(selector).length === 0) continue
      if (known.labels.some((labels) => carriesLabels(labels, selector))) continue
      const source = known.fromSelector ? 'WorkloadEntry' : 'ServiceEntry endpoint'
      report(
        dr.resource,
        ['spec', 'subsets', subset.index, 'labels'],
        'ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT',
        `subset "${subset.name}" selects ${formatLabels(selector)}, which no ${source} of host ${dr.host} carries (istioctl analyze IST0173 DestinationRuleSubsetNotSelectPods); calls routed to it fail with 503 (no healthy upstream)`,
      )
    }
  }
}
