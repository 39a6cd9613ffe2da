/**
 * Route coverage for `meshlet check --coverage`: which routes of which VirtualServices no case
 * reached, like the coverage report of Envoy's router check tool.
 */
import type { MeshSnapshot } from '@meshlet/rules'

export interface RouteRef {
  /** `namespace/name` of the VirtualService, as explain() names it. */
  readonly virtualService: string
  readonly index: number
  readonly name: string | undefined
}

export interface Coverage {
  readonly total: number
  readonly reached: number
  /** reached / total × 100; 100 when there are no routes. */
  readonly percent: number
  readonly unreached: readonly RouteRef[]
}

export function routeKey(virtualService: string, index: number): string {
  return `${virtualService}#${index}`
}

/** Every route of every VirtualService in the snapshot, in file order; for a gateway, every route of its tables. */
export function allRoutes(snapshot: MeshSnapshot): RouteRef[] {
  if (snapshot.gateway !== undefined) return gatewayRoutes(snapshot)
  return snapshot.virtualServices.flatMap((vs) =>
    vs.routes.map((route) => ({ virtualService: `${vs.ref.namespace}/${vs.ref.name}`, index: route.index, name: route.name })),
  )
}

function gatewayRoutes(snapshot: MeshSnapshot): RouteRef[] {
  const seen = new Map<string, RouteRef>()
  for (const port of snapshot.gateway!.ports) {
    for (const host of port.hosts) {
      for (const route of port.routes.lookup(host)?.virtualService.routes ?? []) {
        const ref = { virtualService: `${route.source.namespace}/${route.source.name}`, index: route.index, name: route.name }
        seen.set(routeKey(ref.virtualService, ref.index), ref)
      }
    }
  }
  return [...seen.values()]
}

export function measureCoverage(routes: readonly RouteRef[], reachedKeys: ReadonlySet<string>): Coverage {
  const unreached = routes.filter((route) => !reachedKeys.has(routeKey(route.virtualService, route.index)))
  const reached = routes.length - unreached.length
  return { total: routes.length, reached, percent: routes.length === 0 ? 100 : (reached / routes.length) * 100, unreached }
}
