import type { Clock, MeshEndpoint } from '@meshlet/core'
import { DnsCache, DEFAULT_DNS_REFRESH } from './dns/dns-cache.js'
import type { DnsRefreshSettings } from './dns/dns-cache.js'
import { DnsEndpoints } from './dns/dns-endpoints.js'
import { nodeDnsResolver } from './dns/resolver.js'
import type { DnsResolver } from './dns/resolver.js'
import { LocalEndpoints } from './local/local-endpoints.js'
import type { LocalEndpoint } from './local/local-endpoints.js'
import { PassthroughEndpoints } from './passthrough/passthrough.js'
import type { ServiceEntryShape } from './service-entry/shape.js'
import { StaticEndpoints } from './service-entry/static.js'
import { SubsetSelector } from './subset/select.js'
import type { DiscoveredView } from './discovered/state.js'
import { LiveWorkloadEndpoints } from './service-entry/live-workloads.js'

export interface EndpointRegistryOptions {
  /** The `endpoints` option of createMesh: host (rule-style, short names allowed) → endpoints. */
  readonly local?: Readonly<Record<string, readonly LocalEndpoint[]>>
  /** Namespace and cluster domain short names expand with. */
  readonly namespace: string
  readonly domain: string
  readonly clock: Clock
  /** Default: node:dns. */
  readonly resolver?: DnsResolver
  readonly dnsRefresh?: DnsRefreshSettings
  /** What live sources (Kubernetes, etcd) know: registry hosts' endpoints and registered workloads. */
  readonly discovered?: DiscoveredView
}

/** What a cluster sends to: a list of endpoints (maybe empty), or the caller's own destination. */
export type EndpointsAnswer = readonly MeshEndpoint[] | 'passthrough'

/**
 * Where a host's traffic goes, from every source meshlet reads, first match wins:
 * 1. the `endpoints` option (local development);
 * 2. a live registry's endpoints for the host (a Kubernetes Service's EndpointSlices);
 * 3. the host's ServiceEntry: STATIC endpoints (inline, or WorkloadEntries by workloadSelector, from
 *    the rules and registered live in etcd), DNS / DNS_ROUND_ROBIN / DYNAMIC_DNS resolution
 *    honouring TTLs (wildcard hosts and NONE pass through);
 * 4. otherwise the host is unknown and the call passes through to the network unchanged.
 * Answers are cached per compiled ServiceEntry and port, and stay the same array until they change.
 */
export class EndpointRegistry {
  private readonly local: LocalEndpoints
  private readonly statics = new StaticEndpoints()
  private readonly dns: DnsEndpoints
  private readonly passthroughs = new PassthroughEndpoints()
  private readonly subsets = new SubsetSelector()
  private readonly discovered: DiscoveredView | undefined
  private readonly liveWorkloads: LiveWorkloadEndpoints | undefined

  constructor(options: EndpointRegistryOptions) {
    this.local = new LocalEndpoints(options.local ?? {}, options.namespace, options.domain)
    const cache = new DnsCache(options.resolver ?? nodeDnsResolver(), options.clock, options.dnsRefresh ?? DEFAULT_DNS_REFRESH)
    this.dns = new DnsEndpoints(cache)
    this.discovered = options.discovered
    this.liveWorkloads = options.discovered === undefined ? undefined : new LiveWorkloadEndpoints(options.discovered)
  }

  /** The endpoints of `host` (FQDN) for `servicePort`; a promise only while DNS answers are being fetched. */
  endpoints(host: string, servicePort: number, serviceEntry: ServiceEntryShape | undefined): EndpointsAnswer | Promise<EndpointsAnswer> {
    const local = this.local.for(host, servicePort)
    if (local !== undefined) return local
    if (this.discovered !== undefined) {
      const discovered = this.discovered.endpointsOf(host, servicePort)
      if (discovered !== undefined) return discovered
    }
    if (serviceEntry === undefined) return 'passthrough'
    switch (serviceEntry.resolution) {
      case 'STATIC': {
        const compiled = this.statics.for(serviceEntry, servicePort)
        return this.liveWorkloads === undefined ? compiled : this.liveWorkloads.for(serviceEntry, servicePort, compiled)
      }
      case 'DNS':
      case 'DNS_ROUND_ROBIN':
      case 'DYNAMIC_DNS':
        // A wildcard host cannot be resolved: Istio resolves only concrete names (service_entry.proto);
        // DYNAMIC_DNS exists for wildcards, which pass through here and are resolved per connection.
        if (host.startsWith('*')) return 'passthrough'
        return this.dns.for(serviceEntry, host, servicePort)
      default:
        return 'passthrough'
    }
  }

  /** Whether the `endpoints` option names this host (it then counts as known to the mesh). */
  hasLocal(host: string): boolean {
    return this.local.has(host)
  }

  /** The one endpoint of a passthrough call to `name:port`. */
  passthrough(name: string, port: number): readonly MeshEndpoint[] {
    return this.passthroughs.for(name, port)
  }

  /** The endpoints carrying every label of a subset. */
  subset(endpoints: readonly MeshEndpoint[], labels: Readonly<Record<string, string>>): readonly MeshEndpoint[] {
    return this.subsets.select(endpoints, labels)
  }
}
