import type { Inventory, ServiceEntryInfo, WorkloadEntryInfo } from './inventory.js'
import { carriesLabels } from './read.js'

/**
 * Endpoints of ServiceEntry hosts, when the files say all there is to know about them: resolution
 * STATIC or DNS/DNS_ROUND_ROBIN with listed endpoints, WorkloadEntries chosen by a workloadSelector,
 * or (DNS with neither) the host itself as one endpoint without labels, as Istio builds it
 * (`istio:pilot/pkg/serviceregistry/serviceentry/conversion.go`). Hosts with resolution NONE or
 * DYNAMIC_DNS, or whose selector could also pick Kubernetes pods we cannot see, are left out.
 */
export interface KnownEndpoints {
  /** Labels of each endpoint, topology labels included. */
  readonly labels: ReadonlyArray<Readonly<Record<string, string>>>
  /** True when some endpoints come from a workloadSelector (Istio would also select pods). */
  readonly fromSelector: boolean
}

const RESOLUTIONS_WITH_KNOWN_ENDPOINTS = new Set(['STATIC', 'DNS', 'DNS_ROUND_ROBIN'])

export function selectedWorkloads(inventory: Inventory, se: ServiceEntryInfo): WorkloadEntryInfo[] {
  const selector = se.workloadSelector
  if (selector === undefined) return []
  return inventory.workloadEntries.filter((we) => we.resource.namespace === se.resource.namespace && carriesLabels(we.labels, selector))
}

/** FQDN host → its endpoints, for hosts whose every ServiceEntry lists its endpoints. */
export function knownEndpointsByHost(inventory: Inventory): Map<string, KnownEndpoints> {
  const out = new Map<string, KnownEndpoints>()
  const unknown = new Set<string>()
  for (const se of inventory.serviceEntries) {
    // Selected WorkloadEntries that register live (etcd) are not all in the files.
    const known = RESOLUTIONS_WITH_KNOWN_ENDPOINTS.has(se.resolution) && !(inventory.liveWorkloads && se.workloadSelector !== undefined && se.inlineEndpointLabels === undefined)
    const labels = !known
      ? []
      : se.inlineEndpointLabels !== undefined
        ? se.inlineEndpointLabels
        : se.workloadSelector !== undefined
          ? selectedWorkloads(inventory, se).map((we) => we.endpointLabels)
          : se.resolution === 'STATIC'
            ? []
            : [{}]
    for (const { host } of se.hosts) {
      if (!known) {
        unknown.add(host)
        continue
      }
      const previous = out.get(host)
      out.set(host, {
        labels: [...(previous?.labels ?? []), ...labels],
        fromSelector: (previous?.fromSelector ?? false) || (se.inlineEndpointLabels === undefined && se.workloadSelector !== undefined),
      })
    }
  }
  for (const host of unknown) out.delete(host)
  return out
}
