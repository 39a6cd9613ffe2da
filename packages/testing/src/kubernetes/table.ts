import type { StoredObject } from './object-store.js'
import type { ServedResource } from './resources.js'

/**
 * Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for in its Accept header:
 * a Name column, the resource's own columns, an Age column, and each row's object as
 * PartialObjectMetadata (the server's default includeObject=Metadata).
 */
export function toTable(resource: ServedResource, objects: readonly StoredObject[], resourceVersion: string, withColumns = true): Record<string, unknown> {
  const columns = [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    ...resource.columns.map((column) => ({ name: column.name, type: 'string', format: '', description: column.name, priority: 0 })),
    { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp of the object.', priority: 0 },
  ]
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    ...(withColumns ? { columnDefinitions: columns } : {}),
    rows: objects.map((object) => ({
      cells: [object.metadata.name, ...resource.columns.map((column) => column.cell(object as Record<string, unknown>)), age(object.metadata.creationTimestamp)],
      object: toPartialMetadata(object),
    })),
  }
}

/** PartialObjectMetadata: the object's metadata alone. */
export function toPartialMetadata(object: StoredObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata }
}

/** kubectl's short ages: 12s, 5m, 3h, 2d. */
function age(timestamp: unknown): string {
  const created = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN
  if (Number.isNaN(created)) return '<unknown>'
  const seconds = Math.max(0, Math.floor((Date.now() - created) / 1000))
  if (seconds < 120) return `${seconds}s`
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`
  return `${Math.floor(seconds / 86_400)}d`
}
