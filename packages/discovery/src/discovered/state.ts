import { systemClock } from '@meshlet/core'
import type { Clock, MeshEndpoint } from '@meshlet/core'
import { PublishThrottle } from './throttle.js'
import type { SourceName } from '../source/events.js'
import type { RuleDocument, ServiceDeclaration, Workload } from './types.js'

const NO_ENDPOINTS: readonly MeshEndpoint[] = Object.freeze([])
const NO_WORKLOADS: readonly Workload[] = Object.freeze([])

/** The live WorkloadEntries of one namespace; `version` changes whenever the list does. */
export interface WorkloadSet {
  readonly version: number
  readonly list: readonly Workload[]
}

/** What the endpoint registry reads on the request path (one Map probe each). */
export interface DiscoveredView {
  /** The endpoints of a registry host for a service port; undefined when no source owns the host. */
  endpointsOf(host: string, servicePort: number): readonly MeshEndpoint[] | undefined
  /** The live WorkloadEntries of a namespace. */
  workloadsIn(namespace: string): WorkloadSet
}

/** Sources write here: rules and services (a change recompiles), endpoints and workloads (no recompile). */
export interface DiscoveredSink {
  putRule(document: RuleDocument): void
  deleteRule(origin: string): void
  putService(service: ServiceDeclaration): void
  deleteService(host: string): void
  setEndpoints(host: string, byPort: ReadonlyMap<number, readonly MeshEndpoint[]> | undefined): void
  putWorkload(workload: Workload): void
  deleteWorkload(namespace: string, name: string): void
}

/** Sources in the order their rules are listed (and win over each other for one resource name). */
const SOURCE_ORDER: readonly SourceName[] = ['kubernetes', 'etcd']

/**
 * What every live source knows, merged: the store behind the endpoint registry and behind each
 * recompile. Rules and services change the compiled snapshot, so a change to them calls the
 * config listeners (meshlet recompiles, coalescing bursts); endpoints and workloads are read on the
 * request path and change in place: a new list object for the host that changed, nothing else.
 */
export class DiscoveredState implements DiscoveredView, DiscoveredSink {
  private readonly ruleDocuments = new Map<string, { readonly document: RuleDocument; readonly content: string }>()
  private rulesList: readonly RuleDocument[] | undefined
  private readonly serviceDeclarations = new Map<string, { readonly service: ServiceDeclaration; readonly json: string }>()
  private servicesList: readonly ServiceDeclaration[] | undefined
  private readonly endpointsByHost = new Map<string, ReadonlyMap<number, readonly MeshEndpoint[]>>()
  private readonly workloadsByNamespace = new Map<string, { version: number; readonly byName: Map<string, Workload>; set: WorkloadSet | undefined }>()
  private readonly configListeners = new Set<() => void>()
  private readonly endpointListeners = new Set<(host: string) => void>()
  private nextWorkloadVersion = 1
  private readonly throttle: PublishThrottle

  /** `minPublishIntervalMs` (default 0: publish every change at once): see DEFAULT_PUBLISH. */
  constructor(options: { readonly clock?: Clock; readonly minPublishIntervalMs?: number } = {}) {
    this.throttle = new PublishThrottle(options.clock ?? systemClock, options.minPublishIntervalMs ?? 0)
  }

  // --- rules -------------------------------------------------------------------------------

  putRule(document: RuleDocument): void {
    // A resource rewritten with the same content (a status update, a no-op apply) recompiles nothing.
    const content = document.text ?? JSON.stringify(document.object)
    if (this.ruleDocuments.get(document.origin)?.content === content) return
    this.ruleDocuments.set(document.origin, { document, content })
    this.rulesList = undefined
    this.configChanged()
  }

  deleteRule(origin: string): void {
    if (!this.ruleDocuments.delete(origin)) return
    this.rulesList = undefined
    this.configChanged()
  }

  /** Every rule document, Kubernetes first, then etcd, each in origin order (a stable load order). */
  rules(): readonly RuleDocument[] {
    this.rulesList ??= Object.freeze(
      [...this.ruleDocuments.values()].map((entry) => entry.document).sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) || (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0)),
    )
    return this.rulesList
  }

  // --- services ----------------------------------------------------------------------------

  putService(service: ServiceDeclaration): void {
    // Services are modified often for reasons the rules do not see (status, annotations): only a
    // change of what is declared here recompiles.
    const json = JSON.stringify(service)
    if (this.serviceDeclarations.get(service.host)?.json === json) return
    this.serviceDeclarations.set(service.host, { service, json })
    this.servicesList = undefined
    this.configChanged()
  }

  deleteService(host: string): void {
    if (!this.serviceDeclarations.delete(host)) return
    this.servicesList = undefined
    this.configChanged()
  }

  services(): readonly ServiceDeclaration[] {
    this.servicesList ??= Object.freeze([...this.serviceDeclarations.values()].map((entry) => entry.service).sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)))
    return this.servicesList
  }

  // --- endpoints ---------------------------------------------------------------------------

  setEndpoints(host: string, byPort: ReadonlyMap<number, readonly MeshEndpoint[]> | undefined): void {
    this.throttle.request(host, () => {
      if (byPort === undefined) {
        if (!this.endpointsByHost.delete(host)) return
      } else {
        this.endpointsByHost.set(host, byPort)
      }
      for (const listener of this.endpointListeners) listener(host)
    })
  }

  /** Every address the host's endpoints have now, over all its ports. */
  endpointAddressesOf(host: string): ReadonlySet<string> {
    const addresses = new Set<string>()
    for (const endpoints of this.endpointsByHost.get(host)?.values() ?? []) for (const endpoint of endpoints) addresses.add(endpoint.address)
    return addresses
  }

  endpointsOf(host: string, servicePort: number): readonly MeshEndpoint[] | undefined {
    const byPort = this.endpointsByHost.get(host)
    if (byPort === undefined) return undefined
    // A port the service does not declare has no endpoints (Kubernetes refuses it too).
    return byPort.get(servicePort) ?? NO_ENDPOINTS
  }

  // --- workloads ---------------------------------------------------------------------------

  putWorkload(workload: Workload): void {
    let entry = this.workloadsByNamespace.get(workload.namespace)
    if (entry === undefined) {
      entry = { version: 0, byName: new Map(), set: undefined }
      this.workloadsByNamespace.set(workload.namespace, entry)
    }
    entry.byName.set(workload.name, workload)
    this.workloadsChanged(entry, workload.namespace)
  }

  deleteWorkload(namespace: string, name: string): void {
    const entry = this.workloadsByNamespace.get(namespace)
    if (entry === undefined || !entry.byName.delete(name)) return
    this.workloadsChanged(entry, namespace)
  }

  workloadsIn(namespace: string): WorkloadSet {
    const entry = this.workloadsByNamespace.get(namespace)
    if (entry === undefined) return EMPTY_WORKLOADS
    // Registration order (Map order), not sorted: with thousands of workloads changing every
    // second this list is rebuilt often, and nothing depends on its order.
    entry.set ??= Object.freeze({ version: entry.version, list: Object.freeze([...entry.byName.values()]) })
    return entry.set
  }

  // --- listeners ---------------------------------------------------------------------------

  /** Called (synchronously) after each change of rules or services. Returns the unsubscribe. */
  onConfigChange(listener: () => void): () => void {
    this.configListeners.add(listener)
    return () => this.configListeners.delete(listener)
  }

  /** Called after each endpoint change with the host (and with `namespace/*` for workloads). */
  onEndpointsChange(listener: (host: string) => void): () => void {
    this.endpointListeners.add(listener)
    return () => this.endpointListeners.delete(listener)
  }

  private configChanged(): void {
    for (const listener of this.configListeners) listener()
  }

  private workloadsChanged(entry: { version: number; set: WorkloadSet | undefined }, namespace: string): void {
    // Readers see the change once it is published: a burst of registrations is one new version.
    this.throttle.request(`${namespace}/*`, () => {
      entry.version = this.nextWorkloadVersion++
      entry.set = undefined
      for (const listener of this.endpointListeners) listener(`${namespace}/*`)
    })
  }
}

const EMPTY_WORKLOADS: WorkloadSet = Object.freeze({ version: 0, list: NO_WORKLOADS })
