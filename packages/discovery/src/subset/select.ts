import type { MeshEndpoint } from '@meshlet/core'

/**
 * The endpoints of a subset: those whose labels include every label of the subset (Istio
 * pkg/config/labels Instance.SubsetOf). Cached per endpoint list and subset label object, both
 * of which stay the same objects until endpoints or config change.
 */
export class SubsetSelector {
  private readonly cache = new WeakMap<readonly MeshEndpoint[], WeakMap<Readonly<Record<string, string>>, readonly MeshEndpoint[]>>()

  select(endpoints: readonly MeshEndpoint[], labels: Readonly<Record<string, string>>): readonly MeshEndpoint[] {
    let bySubset = this.cache.get(endpoints)
    if (bySubset === undefined) {
      bySubset = new WeakMap()
      this.cache.set(endpoints, bySubset)
    }
    let selected = bySubset.get(labels)
    if (selected === undefined) {
      const wanted = Object.entries(labels)
      selected = Object.freeze(endpoints.filter((endpoint) => wanted.every(([key, value]) => endpoint.labels[key] === value)))
      bySubset.set(labels, selected)
    }
    return selected
  }
}
