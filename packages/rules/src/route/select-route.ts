import type { CompiledMatch, CompiledRoute, CompiledVirtualService, MeshSnapshot, RouteTable } from '../compile/snapshot.js'
import { splitAuthority } from '../compile/hosts/authority.js'
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
  /** At a gateway: no route table entry for the host (Envoy answers 404, flag NR). */
  | { readonly kind: 'unknownHost'; readonly host: string }
  /** At a gateway: the host's server has `httpsRedirect` and the request is plain HTTP (301 to https). */
  | { readonly kind: 'httpsRedirect'; readonly host: string }

/**
 * The per-request routing decision. Host lookups are cached on the snapshot; matchers were
 * compiled with it; this allocates only the result.
 */
export function selectRoute(snapshot: MeshSnapshot, request: RouteRequest, table: RouteTable = snapshot.meshRoutes): RouteSelection {
  if (table.unknownHosts === 'strict') return selectGatewayRoute(table, request)
  const resolved = snapshot.resolveAuthority(request.authority)
  const hostMatch = table.lookup(resolved.host)
  if (hostMatch) return firstMatchingRoute(resolved.host, hostMatch.host, hostMatch.virtualService, request)
  if (snapshot.lookupServiceEntry(resolved.host) || snapshot.lookupDestinationRule(resolved.host)) {
    return { kind: 'service', host: resolved.host }
  }
  return { kind: 'passthrough', host: resolved.name }
}

/**
 * At a gateway the Host is looked up as sent (lower case, port stripped, no Kubernetes aliases:
 * Envoy matches virtual host domains literally); a host with no entry is not routed.
 */
function selectGatewayRoute(table: RouteTable, request: RouteRequest): RouteSelection {
  const host = splitAuthority(request.authority).name
  const hostMatch = table.lookup(host)
  if (hostMatch === undefined) return { kind: 'unknownHost', host }
  if (hostMatch.requireTls === true && request.scheme !== 'https') return { kind: 'httpsRedirect', host }
  return firstMatchingRoute(host, hostMatch.host, hostMatch.virtualService, request)
}

function firstMatchingRoute(host: string, virtualServiceHost: string, virtualService: CompiledVirtualService, request: RouteRequest): RouteSelection {
  const routes = virtualService.routes
  for (let i = 0; i < routes.length; i++) {
    const match = matchRoute(routes[i]!, request)
    if (match !== undefined) return { kind: 'virtualService', host, virtualServiceHost, virtualService, route: routes[i], match: match ?? undefined }
  }
  return { kind: 'virtualService', host, virtualServiceHost, virtualService, route: undefined, match: undefined }
}
