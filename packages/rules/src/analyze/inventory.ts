import type { RawResource } from '../source/resource.js'
import { asLabels, asList, asRecord, asText } from './read.js'
import { resolveHost } from './hosts.js'
import { HostTable } from './host-table.js'
import { readDestinations } from './destinations.js'
import type { DestinationRef } from './destinations.js'

/**
 * What analysis needs to know about each resource, read once: hosts resolved to FQDNs in the
 * resource's namespace, subsets, endpoints. Every check reads this instead of walking YAML again.
 */

export interface HostRef {
  /** Resolved, lower-case host. */
  readonly host: string
  /** Index in the list it was read from (`spec.hosts[index]`). */
  readonly index: number
}

export interface VirtualServiceInfo {
  readonly resource: RawResource
  readonly hosts: readonly HostRef[]
  /** No hosts: a delegate, only reachable through a root's `delegate`. */
  readonly isDelegate: boolean
  /** No gateways, or `mesh` among them: applies to sidecars and so to meshlet. */
  readonly meshBound: boolean
  /** Namespaces the rule is visible in (`*` for all), from exportTo. */
  readonly exportScopes: readonly string[]
  readonly http: readonly unknown[]
  /** Route and mirror destinations of the http routes, hosts resolved in this rule's namespace. */
  readonly destinations: readonly DestinationRef[]
}

export interface SubsetInfo {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly index: number
}

export interface DestinationRuleInfo {
  readonly resource: RawResource
  /** Resolved host, undefined when missing. */
  readonly host: string | undefined
  /** DRs merge only when their workloadSelectors are equal (Istio mergeDestinationRule). */
  readonly selectorKey: string
  readonly subsets: readonly SubsetInfo[]
  readonly hasTrafficPolicy: boolean
}

export interface ServiceEntryInfo {
  readonly resource: RawResource
  readonly hosts: readonly HostRef[]
  readonly resolution: string
  /** Labels of the inline endpoints, topology labels added (undefined when the entry lists none). */
  readonly inlineEndpointLabels: ReadonlyArray<Readonly<Record<string, string>>> | undefined
  /** workloadSelector.labels, undefined when there is no selector. */
  readonly workloadSelector: Readonly<Record<string, string>> | undefined
}

export interface WorkloadEntryInfo {
  readonly resource: RawResource
  /** Labels as written (what a workloadSelector matches). */
  readonly labels: Readonly<Record<string, string>>
  /** Labels with topology labels added (what a subset matches). */
  readonly endpointLabels: Readonly<Record<string, string>>
}

export interface Inventory {
  readonly domain: string
  /** WorkloadEntries also come from a live source (etcd): the loaded ones are not all there is. */
  readonly liveWorkloads: boolean
  readonly virtualServices: readonly VirtualServiceInfo[]
  readonly destinationRules: readonly DestinationRuleInfo[]
  readonly serviceEntries: readonly ServiceEntryInfo[]
  readonly workloadEntries: readonly WorkloadEntryInfo[]
  /** Every namespace a loaded resource lives in. */
  readonly namespaces: ReadonlySet<string>
  /** DestinationRules by resolved host (exact or wildcard). */
  readonly destinationRulesByHost: HostTable<DestinationRuleInfo>
  /** Gateways (Istio and Gateway API) and HTTPRoutes, as loaded (checks read them tolerantly). */
  readonly gateways: readonly RawResource[]
  readonly httpRoutes: readonly RawResource[]
}

export function buildInventory(resources: readonly RawResource[], domain: string, liveWorkloads = false): Inventory {
  const virtualServices: VirtualServiceInfo[] = []
  const destinationRules: DestinationRuleInfo[] = []
  const serviceEntries: ServiceEntryInfo[] = []
  const workloadEntries: WorkloadEntryInfo[] = []
  const namespaces = new Set<string>()
  // Thousands of destinations name a few hosts: resolve each (namespace, host) once.
  const resolved = new Map<string, string>()
  const resolverFor = (namespace: string) => (host: string) => {
    const key = `${namespace}/${host}`
    let fqdn = resolved.get(key)
    if (fqdn === undefined) {
      fqdn = resolveHost(host, namespace, domain)
      resolved.set(key, fqdn)
    }
    return fqdn
  }
  for (const resource of resources) {
    namespaces.add(resource.namespace)
    const spec = asRecord(resource.spec) ?? {}
    switch (resource.kind) {
      case 'VirtualService':
        virtualServices.push(readVirtualService(resource, spec, domain, resolverFor(resource.namespace)))
        break
      case 'DestinationRule':
        destinationRules.push(readDestinationRule(resource, spec, domain))
        break
      case 'ServiceEntry':
        serviceEntries.push(readServiceEntry(resource, spec, domain))
        break
      case 'WorkloadEntry':
        workloadEntries.push({ resource, labels: asLabels(spec.labels), endpointLabels: endpointLabels(spec) })
        break
    }
  }
  const destinationRulesByHost = new HostTable<DestinationRuleInfo>()
  for (const dr of destinationRules) if (dr.host !== undefined) destinationRulesByHost.add(dr.host, dr)
  const gateways = resources.filter((resource) => resource.kind === 'Gateway' || resource.kind === 'KubernetesGateway')
  const httpRoutes = resources.filter((resource) => resource.kind === 'HTTPRoute')
  return { domain, liveWorkloads, virtualServices, destinationRules, serviceEntries, workloadEntries, namespaces, destinationRulesByHost, gateways, httpRoutes }
}

function readHosts(value: unknown, namespace: string, domain: string): HostRef[] {
  const out: HostRef[] = []
  asList(value).forEach((entry, index) => {
    const host = asText(entry)
    if (host !== undefined) out.push({ host: resolveHost(host, namespace, domain), index })
  })
  return out
}

function readVirtualService(resource: RawResource, spec: Readonly<Record<string, unknown>>, domain: string, resolve: (host: string) => string): VirtualServiceInfo {
  const http = asList(spec.http)
  const gateways = asList(spec.gateways).filter((g): g is string => typeof g === 'string')
  const exportTo = asList(spec.exportTo).filter((e): e is string => typeof e === 'string')
  const exportScopes =
    exportTo.length === 0 || exportTo.includes('*') ? ['*'] : [...new Set(exportTo.map((e) => (e === '.' ? resource.namespace : e)))]
  return {
    resource,
    hosts: readHosts(spec.hosts, resource.namespace, domain),
    isDelegate: asList(spec.hosts).length === 0,
    meshBound: gateways.length === 0 || gateways.includes('mesh'),
    exportScopes,
    http,
    destinations: readDestinations(http, resolve),
  }
}

function readDestinationRule(resource: RawResource, spec: Readonly<Record<string, unknown>>, domain: string): DestinationRuleInfo {
  const host = asText(spec.host)
  const selector = asRecord(spec.workloadSelector)
  const selectorLabels = selector ? asLabels(selector.matchLabels) : undefined
  const subsets: SubsetInfo[] = []
  asList(spec.subsets).forEach((entry, index) => {
    const subset = asRecord(entry)
    const name = asText(subset?.name)
    if (subset && name !== undefined) subsets.push({ name, labels: asLabels(subset.labels), index })
  })
  return {
    resource,
    host: host === undefined ? undefined : resolveHost(host, resource.namespace, domain),
    selectorKey: selectorLabels === undefined ? '' : JSON.stringify(Object.entries(selectorLabels).sort()),
    subsets,
    hasTrafficPolicy: asRecord(spec.trafficPolicy) !== undefined,
  }
}

function readServiceEntry(resource: RawResource, spec: Readonly<Record<string, unknown>>, domain: string): ServiceEntryInfo {
  const endpoints = Array.isArray(spec.endpoints) ? spec.endpoints.map((e) => endpointLabels(asRecord(e) ?? {})) : undefined
  const selector = asRecord(spec.workloadSelector)
  return {
    resource,
    hosts: readHosts(spec.hosts, resource.namespace, domain),
    resolution: asText(spec.resolution) ?? 'NONE',
    inlineEndpointLabels: endpoints,
    workloadSelector: selector ? asLabels(selector.labels) : undefined,
  }
}

/**
 * Istio adds topology labels to every endpoint (`istio:pkg/config/labels` AugmentLabels, as
 * ServiceEntry conversion calls it): region, zone and subzone from `locality`, and the network, so
 * a subset may select on them. The cluster label depends on the cluster, which files do not name.
 */
function endpointLabels(workload: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
  const labels: Record<string, string> = { ...asLabels(workload.labels) }
  const [region, zone, subzone] = (asText(workload.locality) ?? '').split('/')
  if (region) labels['topology.kubernetes.io/region'] ??= region
  if (zone) labels['topology.kubernetes.io/zone'] ??= zone
  if (subzone) labels['topology.istio.io/subzone'] ??= subzone
  const network = asText(workload.network)
  if (network) labels['topology.istio.io/network'] ??= network
  return labels
}
