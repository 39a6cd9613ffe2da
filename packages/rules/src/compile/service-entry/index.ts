import type { RawResource } from '../../source/resource.js'
import type { Steps } from '../../internal/steps.js'
import type { ServiceEntrySpec, WorkloadEntrySpec } from '../../spec/service-entry.js'
import type { RegistryService } from '../options.js'
import type { CompiledEndpoint, CompiledServiceEntry, MeshIdentity, ResourceRef } from '../snapshot.js'
import { resolveShortName } from '../hosts/fqdn.js'
import { HostIndex } from '../hosts/host-index.js'
import { compareByAge, refOf } from '../order.js'
import { isExportedTo, labelsMatch } from '../visibility.js'
import { parseMeshletExtensions } from '../../extensions/parse.js'

/** ServiceEntry defaults (`api:networking/v1alpha3/service_entry.proto`; reference §15). */
export const SERVICE_ENTRY_DEFAULTS = {
  location: 'MESH_EXTERNAL',
  resolution: 'NONE',
  /** WorkloadEntry weight: unset or 0 means 1 (Envoy endpoint load_balancing_weight). */
  endpointWeight: 1,
} as const

export interface CompiledServiceEntries {
  readonly list: CompiledServiceEntry[]
  /** Services of a registry (Kubernetes) that kept their host. */
  readonly registry: CompiledServiceEntry[]
  readonly index: HostIndex<CompiledServiceEntry>
}

/**
 * ServiceEntries visible to this workload, oldest first (the oldest keeps a host two entries
 * declare). Endpoints are the inline ones plus the WorkloadEntries of the same namespace whose
 * labels the entry's workloadSelector selects.
 */
export function* compileServiceEntries(resources: readonly RawResource[], identity: MeshIdentity, registryServices: readonly RegistryService[] = []): Steps<CompiledServiceEntries> {
  const workloadEntries = resources.filter((resource) => resource.kind === 'WorkloadEntry').sort(compareByAge)
  const entries = resources
    .filter((resource) => resource.kind === 'ServiceEntry' && resource.spec)
    .filter((resource) => isExportedTo((resource.spec as ServiceEntrySpec).exportTo, resource.namespace, identity.namespace))
    .sort(compareByAge)
  const list: CompiledServiceEntry[] = []
  const index = new HostIndex<CompiledServiceEntry>()
  // Registry services first: a Kubernetes Service keeps its host against a ServiceEntry naming the
  // same host, so no rule can squat a service's name (istio/istio#32966, #51003).
  const registry: CompiledServiceEntry[] = []
  for (const service of registryServices) {
    const entry = compileRegistryService(service)
    if (index.add(entry.hosts[0]!, entry)) registry.push(entry)
  }
  for (const resource of entries) {
    const entry = compileServiceEntry(resource, workloadEntries, identity)
    list.push(entry)
    for (const host of entry.hosts) index.add(host, entry)
    yield
  }
  return { list, index, registry }
}

function compileRegistryService(service: RegistryService): CompiledServiceEntry {
  return {
    ref: { kind: service.kind, namespace: service.namespace, name: service.name, position: { file: service.origin, line: 0, column: 0 } },
    hosts: [service.host],
    addresses: [],
    ports: service.ports.map((port) => ({ number: port.number, name: port.name, protocol: port.protocol, targetPort: port.targetPort })),
    location: 'MESH_INTERNAL',
    resolution: service.resolution,
    endpoints:
      service.dnsName === undefined
        ? []
        : [{ address: service.dnsName, ports: {}, labels: {}, locality: undefined, weight: SERVICE_ENTRY_DEFAULTS.endpointWeight, network: undefined, source: undefined, defaultPort: undefined }],
    workloadSelector: undefined,
    selectsWorkloads: false,
  }
}

function compileServiceEntry(resource: RawResource, workloadEntries: readonly RawResource[], identity: MeshIdentity): CompiledServiceEntry {
  const spec = resource.spec as ServiceEntrySpec
  const inline = (spec.endpoints ?? []).map((endpoint) => compileEndpoint(endpoint, undefined))
  const selector = spec.workloadSelector?.labels
  const selected = selector
    ? workloadEntries
        .filter((entry) => entry.namespace === resource.namespace && entry.spec)
        .filter((entry) => labelsMatch(selector, (entry.spec as WorkloadEntrySpec).labels ?? {}))
        .map((entry) => compileEndpoint(entry.spec as WorkloadEntrySpec, refOf(entry), parseMeshletExtensions(entry.annotations).extensions.port))
    : []
  return {
    ref: refOf(resource),
    hosts: (spec.hosts ?? []).map((host) => resolveShortName(host, resource.namespace, identity.domain)),
    addresses: [...(spec.addresses ?? [])],
    ports: (spec.ports ?? []).map((port) => ({
      number: port.number,
      name: port.name,
      protocol: (port.protocol ?? '').toUpperCase(),
      targetPort: port.targetPort || undefined,
    })),
    location: spec.location ?? SERVICE_ENTRY_DEFAULTS.location,
    resolution: spec.resolution ?? SERVICE_ENTRY_DEFAULTS.resolution,
    endpoints: [...inline, ...selected],
    selectsWorkloads: selector !== undefined,
    workloadSelector: selector === undefined ? undefined : { ...selector },
  }
}

function compileEndpoint(spec: WorkloadEntrySpec, source: ResourceRef | undefined, defaultPort?: number): CompiledEndpoint {
  return {
    defaultPort,
    address: spec.address ?? '',
    ports: { ...(spec.ports ?? {}) },
    labels: { ...(spec.labels ?? {}) },
    locality: spec.locality || undefined,
    weight: spec.weight && spec.weight > 0 ? spec.weight : SERVICE_ENTRY_DEFAULTS.endpointWeight,
    network: spec.network || undefined,
    source,
  }
}
