import type { FieldPath } from '../diagnostics/path.js'

/** The Istio kinds meshlet reads (networking.istio.io). */
export const ISTIO_KINDS = ['VirtualService', 'DestinationRule', 'ServiceEntry', 'WorkloadEntry', 'Gateway'] as const
export type IstioKind = (typeof ISTIO_KINDS)[number]

/** apiVersions Istio serves for these kinds (networking.istio.io v1, v1beta1, v1alpha3). */
export const ISTIO_API_VERSIONS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'] as const

/**
 * The Kubernetes Gateway API kinds meshlet reads (gateway.networking.k8s.io). The API's `Gateway`
 * is held as `KubernetesGateway`, the name Istio gives it internally, so that it never mixes with
 * Istio's own `Gateway`; messages show it as kubectl does (`Gateway.gateway.networking.k8s.io`).
 */
export const GATEWAY_API_KINDS = ['KubernetesGateway', 'HTTPRoute', 'ReferenceGrant'] as const
export type GatewayApiKind = (typeof GATEWAY_API_KINDS)[number]

/** The group of the Gateway API and the versions it serves for the kinds meshlet reads. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io'
export const GATEWAY_API_VERSIONS = [`${GATEWAY_API_GROUP}/v1`, `${GATEWAY_API_GROUP}/v1beta1`] as const

/** Every kind meshlet reads. */
export const RESOURCE_KINDS = [...ISTIO_KINDS, ...GATEWAY_API_KINDS] as const
export type ResourceKind = IstioKind | GatewayApiKind

/** The kind as users write it and kubectl prints it: the Gateway API's Gateway with its group. */
export function displayKind(kind: string): string {
  return kind === 'KubernetesGateway' ? `Gateway.${GATEWAY_API_GROUP}` : kind
}

export interface SourcePosition {
  readonly file: string
  readonly line: number
  readonly column: number
}

/**
 * One Istio object as read from its source, before validation. `spec` stays `unknown` until the
 * validator has looked at it; `locate` maps a field path (from the object root, e.g.
 * ['spec', 'http', 0]) to where that value is written, falling back to the nearest ancestor.
 */
export interface RawResource {
  readonly kind: ResourceKind
  readonly apiVersion: string
  readonly name: string
  readonly namespace: string
  readonly annotations: Readonly<Record<string, string>>
  readonly labels: Readonly<Record<string, string>>
  /** metadata.creationTimestamp when given (Istio orders merged rules by it, then by name). */
  readonly creationTimestamp: string | undefined
  /** The whole object as plain data (apiVersion, kind, metadata, spec). */
  readonly object: Readonly<Record<string, unknown>>
  readonly spec: unknown
  readonly file: string
  /** Position of this object among everything loaded, for stable ordering. */
  readonly loadIndex: number
  locate(path: FieldPath): SourcePosition
}
