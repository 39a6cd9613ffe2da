/**
 * Freezes an object graph in place. Maps and Sets are not walked (the snapshot keeps its indexes
 * private inside lookup closures), and neither is anything reachable only through a closure, such
 * as compiled RE2 programs, which keep mutable caches.
 */
export function deepFreeze<T>(root: T): T {
  const seen = new WeakSet<object>()
  const visit = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return
    if (seen.has(value) || value instanceof Map || value instanceof Set) return
    seen.add(value)
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)
      if (descriptor && 'value' in descriptor) visit(descriptor.value)
    }
    Object.freeze(value)
  }
  visit(root)
  return root
}
