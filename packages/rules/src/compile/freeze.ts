/**
 * Freezes an object graph in place. An object that is already frozen is taken as frozen all the
 * way down and not walked again: raw resources are frozen once when parsed, so each reload only
 * walks what compile built. Functions are not walked (the snapshot's methods and matchers keep their
 * state in closures, such as compiled RE2 programs with mutable caches), nor are Maps and Sets (the
 * snapshot keeps its indexes private inside lookup closures).
 */
export function deepFreeze<T>(root: T): T {
  visit(root)
  return root
}

function visit(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return
  if (value instanceof Map || value instanceof Set) return
  // Freeze before the children: the frozen check then also stops cycles.
  Object.freeze(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) visit(value[i])
    return
  }
  for (const key in value) visit((value as Record<string, unknown>)[key])
}
