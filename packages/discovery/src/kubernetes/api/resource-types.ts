/** A kind of Kubernetes object meshlet lists and watches. */
export interface ResourceType {
  /** '' for the core group. */
  readonly group: string
  readonly version: string
  readonly plural: string
  readonly kind: string
  readonly namespaced: boolean
  /** Ask for PartialObjectMetadata only (pods, nodes): labels without the spec and status. */
  readonly metadataOnly: boolean
}

export const SERVICES: ResourceType = { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, metadataOnly: false }
export const ENDPOINT_SLICES: ResourceType = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true, metadataOnly: false }
export const POD_METADATA: ResourceType = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, metadataOnly: true }
export const NODE_METADATA: ResourceType = { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, metadataOnly: true }

/** Istio's networking group and the versions it serves, newest first (any one serves every object). */
export const ISTIO_GROUP = 'networking.istio.io'
export const ISTIO_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'] as const

/** The Istio kinds meshlet reads, at one served version. */
export function istioTypes(version: string): ResourceType[] {
  return [
    ['virtualservices', 'VirtualService'],
    ['destinationrules', 'DestinationRule'],
    ['serviceentries', 'ServiceEntry'],
    ['workloadentries', 'WorkloadEntry'],
  ].map(([plural, kind]) => ({ group: ISTIO_GROUP, version, plural: plural!, kind: kind!, namespaced: true, metadataOnly: false }))
}

/** `/api/v1/namespaces/shop/pods`, `/apis/discovery.k8s.io/v1/endpointslices` (all namespaces). */
export function collectionPath(type: ResourceType, namespace: string | undefined): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`
  return type.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}` : `${base}/${type.plural}`
}

/** The API path of one object: what diagnostics name as its origin. */
export function objectPath(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`
}

/** `endpointslices.discovery.k8s.io`, `pods`: how kubectl and RBAC errors name a resource. */
export function qualifiedName(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`
}

/**
 * The Accept header of a list or a watch. Metadata-only requests ask the API server to answer
 * with PartialObjectMetadata(List), as client-go's metadata client does; servers that cannot
 * (before Kubernetes 1.15) ignore the parameter and send whole objects, which read the same.
 */
export function acceptHeader(type: ResourceType, operation: 'list' | 'watch'): string {
  if (!type.metadataOnly) return 'application/json'
  const as = operation === 'list' ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'
  return `application/json;as=${as};g=meta.k8s.io;v=v1,application/json`
}
