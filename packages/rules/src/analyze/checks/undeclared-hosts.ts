import type { Inventory } from '../inventory.js'
import type { Report } from '../finding.js'
import { isIpHost, isKubernetesServiceHost, isWildcardHost } from '../hosts.js'
import { HostTable } from '../host-table.js'

/**
 * Hosts that nothing in the files declares. Istio knows every Kubernetes service of the cluster;
 * meshlet only knows the files it was given. So a host that resolves to a Kubernetes service name
 * (`*.svc.<domain>`, which every short name does) is never reported: the cluster declares it.
 * Any other host (an external name, or a dotted name such as `reviews.prod` that Istio does not
 * expand) must be declared by a ServiceEntry, a VirtualService or a DestinationRule of the files,
 * else Istio has no cluster for it (503) while meshlet would pass the call through to the network.
 * Validating one file of a folder can therefore warn about a host declared in another file; that is
 * why these are warnings unless `strict`.
 */
export function checkUndeclaredHosts(inventory: Inventory, report: Report): void {
  const declared = declaredHosts(inventory)
  for (const vs of inventory.virtualServices) {
    for (const destination of vs.destinations) {
      const host = destination.host
      if (isExempt(host, inventory.domain) || declared.all.covers(host)) continue
      report(
        vs.resource,
        [...destination.path, 'host'],
        'ANALYSIS_HOST_NOT_DECLARED',
        `host ${host} is not declared by any ServiceEntry, VirtualService or DestinationRule in these files (istioctl analyze IST0101 ReferencedResourceNotFound): ` +
          `Istio answers 503 for a host its registry does not know, while meshlet passes the call to the network${kubernetesHint(host, inventory)}`,
      )
    }
  }
  for (const dr of inventory.destinationRules) {
    const host = dr.host
    if (host === undefined || isWildcardHost(host) || isExempt(host, inventory.domain) || declared.services.covers(host)) continue
    report(
      dr.resource,
      ['spec', 'host'],
      'ANALYSIS_DESTINATION_RULE_HOST_NOT_DECLARED',
      `host ${host} is not declared by any ServiceEntry or VirtualService in these files (istioctl analyze IST0174 UnknownDestinationRuleHost), so this rule may apply to nothing${kubernetesHint(host, inventory)}`,
    )
  }
}

function declaredHosts(inventory: Inventory): { services: HostTable<true>; all: HostTable<true> } {
  const services = new HostTable<true>()
  const all = new HostTable<true>()
  for (const se of inventory.serviceEntries) for (const { host } of se.hosts) services.add(host, true)
  for (const vs of inventory.virtualServices) for (const { host } of vs.hosts) services.add(host, true)
  for (const se of inventory.serviceEntries) for (const { host } of se.hosts) all.add(host, true)
  for (const vs of inventory.virtualServices) for (const { host } of vs.hosts) all.add(host, true)
  for (const dr of inventory.destinationRules) if (dr.host !== undefined) all.add(dr.host, true)
  return { services, all }
}

function isExempt(host: string, domain: string): boolean {
  return host === '' || host === '*' || isIpHost(host) || isKubernetesServiceHost(host, domain)
}

/** `reviews.prod` where `prod` is a namespace of the files: Istio does not expand dotted names. */
function kubernetesHint(host: string, inventory: Inventory): string {
  const labels = host.split('.')
  const looksLikeService = (labels.length === 2 && inventory.namespaces.has(labels[1]!)) || (labels.length === 3 && labels[2] === 'svc')
  if (!looksLikeService) return ''
  return `; Istio treats a name with a dot as fully qualified, so for the Kubernetes service write ${labels[0]}.${labels[1]}.svc.${inventory.domain}`
}
