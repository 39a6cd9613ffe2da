import type { RawResource } from '../../source/resource.js'
import type { ReferenceGrantSpec } from '../../spec/gateway-api.js'

/**
 * Whether a reference from a namespace to an object in another namespace is allowed: the Gateway API
 * requires a ReferenceGrant in the target's namespace naming the source (group, kind, namespace)
 * and the target (group, kind, and name if it names one) (`gwapi:apis/v1beta1/referencegrant_types.go`).
 */
export class ReferenceGrants {
  private readonly grants: ReadonlyArray<{ readonly namespace: string; readonly spec: ReferenceGrantSpec }>

  constructor(resources: readonly RawResource[]) {
    this.grants = resources.filter((resource) => resource.kind === 'ReferenceGrant' && resource.spec).map((resource) => ({ namespace: resource.namespace, spec: resource.spec as ReferenceGrantSpec }))
  }

  allows(from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): boolean {
    if (from.namespace === to.namespace) return true
    return this.grants.some(
      (grant) =>
        grant.namespace === to.namespace &&
        (grant.spec.from ?? []).some((entry) => (entry.group ?? '') === from.group && entry.kind === from.kind && entry.namespace === from.namespace) &&
        (grant.spec.to ?? []).some((entry) => (entry.group ?? '') === to.group && entry.kind === to.kind && (entry.name === undefined || entry.name === '' || entry.name === to.name)),
    )
  }
}
