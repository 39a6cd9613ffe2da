import type { RawResource } from '../../source/resource.js'
import type { HTTPRoute, VirtualServiceSpec } from '../../spec/virtual-service.js'
import type { ResourceRef } from '../snapshot.js'
import { refOf } from '../order.js'
import { isExportedTo } from '../visibility.js'
import { mergeDelegateRoute } from './delegate-merge.js'
import { resolveRouteHosts } from './resolve-hosts.js'

/** A route of a root VirtualService after delegation, hosts fully qualified. */
export interface ExpandedRoute {
  readonly spec: HTTPRoute
  readonly delegate: ResourceRef | undefined
}

/** Delegate VirtualServices (no hosts) by `namespace/name`. */
export function indexDelegates(virtualServices: readonly RawResource[]): Map<string, RawResource> {
  const delegates = new Map<string, RawResource>()
  for (const resource of virtualServices) {
    const spec = resource.spec as VirtualServiceSpec
    const key = `${resource.namespace}/${resource.name}`
    if ((!spec.hosts || spec.hosts.length === 0) && !delegates.has(key)) delegates.set(key, resource)
  }
  return delegates
}

/**
 * The root's http list with each `delegate` route replaced by the delegate's routes merged into it
 * (reference §5). One level only: a delegate's own delegate routes are dropped. A delegate that is
 * missing or not exported to the root's namespace drops only the route that names it, as Istio
 * does. `delegate.namespace` defaults to the root's namespace.
 */
export function expandRoutes(root: RawResource, delegates: ReadonlyMap<string, RawResource>, domain: string): ExpandedRoute[] {
  const spec = root.spec as VirtualServiceSpec
  const expanded: ExpandedRoute[] = []
  for (const http of spec.http ?? []) {
    if (!http) continue
    const resolvedRoot = resolveRouteHosts(http, root.namespace, domain)
    if (!http.delegate) {
      expanded.push({ spec: resolvedRoot, delegate: undefined })
      continue
    }
    const namespace = http.delegate.namespace || root.namespace
    const target = delegates.get(`${namespace}/${http.delegate.name ?? ''}`)
    if (!target) continue
    const targetSpec = target.spec as VirtualServiceSpec
    if (!isExportedTo(targetSpec.exportTo, target.namespace, root.namespace)) continue
    const delegateRef = refOf(target)
    for (const child of targetSpec.http ?? []) {
      if (!child || child.delegate) continue
      const merged = mergeDelegateRoute(resolvedRoot, resolveRouteHosts(child, target.namespace, domain))
      if (merged) expanded.push({ spec: merged, delegate: delegateRef })
    }
  }
  return expanded
}
