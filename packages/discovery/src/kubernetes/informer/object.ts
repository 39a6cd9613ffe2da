/** The part of a Kubernetes object every kind has (ObjectMeta), and anything else as unknown. */
export interface KubeObject {
  readonly apiVersion?: string
  readonly kind?: string
  readonly metadata: KubeMetadata
  readonly [field: string]: unknown
}

export interface KubeMetadata {
  readonly name: string
  readonly namespace?: string
  readonly resourceVersion?: string
  readonly creationTimestamp?: string
  readonly deletionTimestamp?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
  readonly [field: string]: unknown
}

/** `namespace/name`, or the name of a cluster-scoped object. */
export function objectKey(object: KubeObject): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false
  const metadata = (value as { metadata?: unknown }).metadata
  return typeof metadata === 'object' && metadata !== null && typeof (metadata as { name?: unknown }).name === 'string'
}
