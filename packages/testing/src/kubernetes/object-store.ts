import { randomUUID } from 'node:crypto'
import type { ServedResource } from './resources.js'

/** An object as the fake server keeps it: plain JSON with ObjectMeta. */
export interface StoredObject {
  readonly apiVersion?: string
  readonly kind?: string
  readonly metadata: {
    readonly name: string
    readonly namespace?: string
    readonly resourceVersion?: string
    readonly labels?: Readonly<Record<string, string>>
    readonly [field: string]: unknown
  }
  readonly [field: string]: unknown
}

export interface StoreEvent {
  readonly resourceVersion: number
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'
  readonly resource: ServedResource
  readonly object: StoredObject
}

/**
 * The objects of the fake cluster and the history of their changes, like etcd behind the API
 * server: one resourceVersion counter for everything, each write stamps the object, and a watch
 * can resume from any resourceVersion still in the history. History older than `compactedAt`
 * is gone: a watch from there gets 410 Gone, as after etcd compaction.
 */
export class ObjectStore {
  private revision = 1
  private readonly byResource = new Map<ServedResource, Map<string, StoredObject>>()
  private history: StoreEvent[] = []
  private readonly listeners = new Set<(event: StoreEvent) => void>()
  /** Events at or before this resourceVersion are forgotten. */
  compactedAt = 0

  constructor(private readonly maxHistory = 100_000) {}

  get resourceVersion(): number {
    return this.revision
  }

  /** Creates or replaces an object; returns it as stored (resourceVersion, uid, creationTimestamp set). */
  put(resource: ServedResource, object: StoredObject): StoredObject {
    const objects = this.objectsOf(resource)
    const key = keyOf(object)
    const previous = objects.get(key)
    this.revision += 1
    const stored: StoredObject = {
      ...object,
      metadata: {
        ...object.metadata,
        uid: previous?.metadata.uid ?? object.metadata.uid ?? randomUUID(),
        creationTimestamp: previous?.metadata.creationTimestamp ?? object.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        resourceVersion: String(this.revision),
      },
    }
    objects.set(key, stored)
    this.record({ resourceVersion: this.revision, type: previous === undefined ? 'ADDED' : 'MODIFIED', resource, object: stored })
    return stored
  }

  delete(resource: ServedResource, namespace: string | undefined, name: string): StoredObject | undefined {
    const objects = this.objectsOf(resource)
    const key = namespace === undefined ? name : `${namespace}/${name}`
    const previous = objects.get(key)
    if (previous === undefined) return undefined
    objects.delete(key)
    this.revision += 1
    const gone: StoredObject = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(this.revision) } }
    this.record({ resourceVersion: this.revision, type: 'DELETED', resource, object: gone })
    return gone
  }

  get(resource: ServedResource, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.objectsOf(resource).get(namespace === undefined ? name : `${namespace}/${name}`)
  }

  list(resource: ServedResource, namespace: string | undefined): StoredObject[] {
    const all = [...this.objectsOf(resource).values()]
    const inScope = namespace === undefined ? all : all.filter((object) => object.metadata.namespace === namespace)
    return inScope.sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
  }

  /** The events after `resourceVersion`, or 'gone' when some of them were compacted away. */
  eventsSince(resourceVersion: number): StoreEvent[] | 'gone' {
    if (resourceVersion < this.compactedAt) return 'gone'
    let start = this.history.length
    while (start > 0 && this.history[start - 1]!.resourceVersion > resourceVersion) start--
    return this.history.slice(start)
  }

  /** Forgets the history so far: watches from an older resourceVersion get 410 Gone. */
  compact(): void {
    this.compactedAt = this.revision
    this.history = []
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private record(event: StoreEvent): void {
    this.history.push(event)
    if (this.history.length > this.maxHistory) {
      const dropped = this.history.splice(0, this.history.length - this.maxHistory)
      this.compactedAt = dropped[dropped.length - 1]!.resourceVersion
    }
    for (const listener of this.listeners) listener(event)
  }

  private objectsOf(resource: ServedResource): Map<string, StoredObject> {
    let objects = this.byResource.get(resource)
    if (objects === undefined) {
      objects = new Map()
      this.byResource.set(resource, objects)
    }
    return objects
  }
}

export function keyOf(object: StoredObject): string {
  return object.metadata.namespace === undefined ? object.metadata.name : `${object.metadata.namespace}/${object.metadata.name}`
}
