import type { Inventory } from '../inventory.js'
import type { Report } from '../finding.js'
import { selectedWorkloads } from '../endpoints.js'
import { formatLabels } from '../read.js'

/**
 * A ServiceEntry workloadSelector that selects no WorkloadEntry of its namespace (in the spirit of
 * istioctl analyze IST0127 NoMatchingWorkloadsFound). Istio would also select Kubernetes pods with
 * those labels; meshlet cannot see pods, so for meshlet the entry has no endpoints.
 */
export function checkWorkloadSelectors(inventory: Inventory, report: Report): void {
  // Instances register themselves later (etcd): an empty selection now says nothing.
  if (inventory.liveWorkloads) return
  for (const se of inventory.serviceEntries) {
    const selector = se.workloadSelector
    if (selector === undefined || Object.keys(selector).length === 0) continue
    if (selectedWorkloads(inventory, se).length > 0) continue
    report(
      se.resource,
      ['spec', 'workloadSelector', 'labels'],
      'ANALYSIS_WORKLOAD_SELECTOR_MATCHES_NOTHING',
      `no WorkloadEntry in namespace ${se.resource.namespace} carries ${formatLabels(selector)} (istioctl analyze IST0127 NoMatchingWorkloadsFound); Istio may still select Kubernetes pods with these labels, but meshlet cannot see pods, so here this ServiceEntry has no endpoints`,
    )
  }
}
