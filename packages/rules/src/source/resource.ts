import type { FieldPath } from '../diagnostics/path.js'

/** The four Istio kinds meshlet reads. */
export const ISTIO_KINDS = ['VirtualService', 'DestinationRule', 'ServiceEntry', 'WorkloadEntry'] as const
export type IstioKind = (typeof ISTIO_KINDS)[number]

/** apiVersions Istio serves for these kinds (networking.istio.io v1, v1beta1, v1alpha3). */
export const ISTIO_API_VERSIONS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'] as const

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
  readonly kind: IstioKind
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
