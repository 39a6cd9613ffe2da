import type { CompiledMatch, CompiledRoute, CompiledVirtualService, MeshSnapshot } from '../compile/snapshot.js'
import { matchRoute } from './match-request.js'
import type { RouteRequest } from './request.js'

export type RouteSelection =
  | {
      readonly kind: 'virtualService'
      /** The host the request addresses, resolved to its FQDN. */
      readonly host: string
      /** The VirtualService host (FQDN or wildcard) that matched it. */
      readonly virtualServiceHost: string
      readonly virtualService: CompiledVirtualService
      /** undefined: the VirtualService has no route for this request (Envoy answers 404). */
      readonly route: CompiledRoute | undefined
      /** The match entry that selected the route; undefined for a catch-all route or no route. */
      readonly match: CompiledMatch | undefined
    }
  /** A host known through a ServiceEntry or DestinationRule but with no VirtualService. */
  | { readonly kind: 'service'; readonly host: string }
  /** A host the mesh knows nothing about: sent to the network as written (no port). */
  | { readonly kind: 'passthrough'; readonly host: string }

/**
 * The per-request routing decision. Host lookups are cached on the snapshot; matchers were
 * compiled with it; this allocates only the result.
 */
export function selectRoute(snapshot: MeshSnapshot, request: RouteRequest): RouteSelection {
  const resolved = snapshot.resolveAuthority(request.authority)
  const hostMatch = snapshot.lookupVirtualServiceByHost(resolved.host)
  if (hostMatch) {
    const routes = hostMatch.virtualService.routes
    for (let i = 0; i < routes.length; i++) {
      const match = matchRoute(routes[i]!, request)
      if (match !== undefined) {
        return { kind: 'virtualService', host: resolved.host, virtualServiceHost: hostMatch.host, virtualService: hostMatch.virtualService, route: routes[i], match: match ?? undefined }
      }
    }
    return { kind: 'virtualService', host: resolved.host, virtualServiceHost: hostMatch.host, virtualService: hostMatch.virtualService, route: undefined, match: undefined }
  }
  if (snapshot.lookupServiceEntry(resolved.host) || snapshot.lookupDestinationRule(resolved.host)) {
    return { kind: 'service', host: resolved.host }
  }
  return { kind: 'passthrough', host: resolved.name }
}
