import type { KubeObject } from './object.js'
import { objectKey } from './object.js'

/** What an informer tells its owner. */
export interface InformerHandler {
  /** An object was added or changed. */
  upsert(object: KubeObject): void
  /** An object was deleted (the last state known of it). */
  remove(object: KubeObject): void
}

/**
 * The objects of one informer by key. `replace` applies a full list as the difference from what
 * was known (client-go's Replace): objects whose resourceVersion did not change are not reported,
 * objects that disappeared are removed. This is what makes a relist after 410 Gone, or after a
 * long outage, report exactly the changes that were missed.
 */
export class ObjectStore {
  private objects = new Map<string, KubeObject>()

  get size(): number {
    return this.objects.size
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key)
  }

  values(): IterableIterator<KubeObject> {
    return this.objects.values()
  }

  upsert(object: KubeObject, handler: InformerHandler): void {
    this.objects.set(objectKey(object), object)
    handler.upsert(object)
  }

  remove(object: KubeObject, handler: InformerHandler): void {
    const key = objectKey(object)
    const known = this.objects.get(key)
    this.objects.delete(key)
    handler.remove(known ?? object)
  }

  replace(items: readonly KubeObject[], handler: InformerHandler): void {
    const next = new Map<string, KubeObject>()
    for (const item of items) next.set(objectKey(item), item)
    const previous = this.objects
    this.objects = next
    for (const [key, object] of previous) if (!next.has(key)) handler.remove(object)
    for (const [key, object] of next) {
      const known = previous.get(key)
      if (known === undefined || known.metadata.resourceVersion !== object.metadata.resourceVersion || known.metadata.resourceVersion === undefined) handler.upsert(object)
    }
  }
}
