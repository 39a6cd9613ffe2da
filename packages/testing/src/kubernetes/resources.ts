/** One kind the fake API server serves, as API discovery describes it. */
export interface ServedResource {
  readonly group: string
  /** Versions served, preferred first; an object is stored once and served at each. */
  readonly versions: readonly string[]
  readonly plural: string
  readonly singular: string
  readonly kind: string
  readonly namespaced: boolean
  readonly shortNames: readonly string[]
  /** Extra Table columns (after Name, before Age), from the object. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly cell: (object: Record<string, unknown>) => string }>
}

const VERBS = ['get', 'list', 'watch'] as const

/** The kinds meshlet reads, with the columns `kubectl get` shows for them. */
export const SERVED_RESOURCES: readonly ServedResource[] = [
  {
    group: '',
    versions: ['v1'],
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    columns: [
      { name: 'Type', cell: (object) => String(spec(object).type ?? 'ClusterIP') },
      { name: 'Ports', cell: (object) => list(spec(object).ports).map((port) => `${port.port}/${port.protocol ?? 'TCP'}`).join(',') },
    ],
  },
  { group: '', versions: ['v1'], plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], columns: [] },
  { group: '', versions: ['v1'], plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], columns: [] },
  { group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], columns: [] },
  {
    group: 'discovery.k8s.io',
    versions: ['v1'],
    plural: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    namespaced: true,
    shortNames: [],
    columns: [
      { name: 'AddressType', cell: (object) => String(object.addressType ?? '') },
      { name: 'Ports', cell: (object) => list(object.ports).map((port) => String(port.port)).join(',') || '<unset>' },
      { name: 'Endpoints', cell: (object) => list(object.endpoints).flatMap((endpoint) => (Array.isArray(endpoint.addresses) ? endpoint.addresses.slice(0, 1) : [])).join(',') || '<unset>' },
    ],
  },
  ...(
    [
      ['virtualservices', 'virtualservice', 'VirtualService', ['vs']],
      ['destinationrules', 'destinationrule', 'DestinationRule', ['dr']],
      ['serviceentries', 'serviceentry', 'ServiceEntry', ['se']],
      ['workloadentries', 'workloadentry', 'WorkloadEntry', ['we']],
    ] as const
  ).map(([plural, singular, kind, shortNames]) => ({
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    plural,
    singular,
    kind,
    namespaced: true,
    shortNames,
    columns: kind === 'VirtualService' ? [{ name: 'Hosts', cell: (object: Record<string, unknown>) => JSON.stringify(spec(object).hosts ?? []) }] : [],
  })),
]

export const SERVED_VERBS = VERBS

function spec(object: Record<string, unknown>): Record<string, unknown> {
  return (object.spec ?? {}) as Record<string, unknown>
}

function list(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? (value as Array<Record<string, unknown>>) : []
}

/** `apiVersion` of a resource at a version: `v1`, `discovery.k8s.io/v1`. */
export function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`
}
