import type { CompiledMatch, CompiledRoute, CompiledVirtualService, MeshSnapshot, RouteTable } from '../compile/snapshot.js'
import { splitAuthority } from '../compile/hosts/authority.js'
import type { RouteRequest } from './request.js'
import { matchRoute } from './match-request.js'
import { PackedRoutes } from './packed-routes.js'

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
 * The per-request routing decision. Everything that depends only on the authority (its FQDN, the
 * VirtualService, the route table, every possible answer) is worked out on the first request for
 * that authority and kept with the snapshot, so a decision is one map lookup, a scan of the route
 * table (route-table.ts) and no allocation.
 */
export function selectRoute(snapshot: MeshSnapshot, request: RouteRequest, table: RouteTable = snapshot.meshRoutes): RouteSelection {
  if (table.unknownHosts === 'strict') return selectGatewayRoute(table, request)
  const target = targetOf(snapshot, table, request.authority)
  if (target.table === undefined) return target.fixed!
  const entry = target.table.firstMatch(request)
  return entry === -1 ? target.fixed! : (target.selections[entry] ??= selectionFor(target, entry))
}

/** What an authority resolves to in one snapshot. */
interface AuthorityTarget {
  /** The answer when it does not depend on the request: service, passthrough, or no route. */
  readonly fixed: RouteSelection | undefined
  readonly table: PackedRoutes | undefined
  readonly host: string
  readonly virtualServiceHost: string
  readonly virtualService: CompiledVirtualService | undefined
  /** The answer for each entry of the table, made on first use. */
  readonly selections: Array<RouteSelection | undefined>
}

/** Per route table (each snapshot has its own): authority → target, bounded like the snapshot's other caches. */
const targets = new WeakMap<RouteTable, Map<string, AuthorityTarget>>()
/** Per snapshot: the packed routes of each VirtualService, and one copy of each string they compare. */
const tables = new WeakMap<MeshSnapshot, { readonly byService: Map<CompiledVirtualService, PackedRoutes>; readonly strings: Map<string, string> }>()
const TARGET_CACHE_LIMIT = 10_000

function targetOf(snapshot: MeshSnapshot, routeTable: RouteTable, authority: string): AuthorityTarget {
  let cache = targets.get(routeTable)
  if (cache === undefined) {
    cache = new Map()
    targets.set(routeTable, cache)
  }
  let target = cache.get(authority)
  if (target === undefined) {
    target = resolveTarget(snapshot, routeTable, authority)
    if (cache.size >= TARGET_CACHE_LIMIT) cache.clear()
    cache.set(authority, target)
  }
  return target
}

function resolveTarget(snapshot: MeshSnapshot, routeTable: RouteTable, authority: string): AuthorityTarget {
  const resolved = snapshot.resolveAuthority(authority)
  const hostMatch = routeTable.lookup(resolved.host)
  if (hostMatch) {
    const { virtualService } = hostMatch
    const noRoute: RouteSelection = Object.freeze({ kind: 'virtualService', host: resolved.host, virtualServiceHost: hostMatch.host, virtualService, route: undefined, match: undefined })
    return { fixed: noRoute, table: tableOf(snapshot, virtualService), host: resolved.host, virtualServiceHost: hostMatch.host, virtualService, selections: [] }
  }
  const known = snapshot.lookupServiceEntry(resolved.host) !== undefined || snapshot.lookupDestinationRule(resolved.host) !== undefined
  const fixed: RouteSelection = Object.freeze(known ? { kind: 'service', host: resolved.host } : { kind: 'passthrough', host: resolved.name })
  return { fixed, table: undefined, host: resolved.host, virtualServiceHost: '', virtualService: undefined, selections: [] }
}

function tableOf(snapshot: MeshSnapshot, virtualService: CompiledVirtualService): PackedRoutes {
  let state = tables.get(snapshot)
  if (state === undefined) {
    state = { byService: new Map(), strings: new Map() }
    tables.set(snapshot, state)
  }
  let table = state.byService.get(virtualService)
  if (table === undefined) {
    const strings = state.strings
    table = PackedRoutes.of(virtualService, (text) => {
      const known = strings.get(text)
      if (known !== undefined) return known
      strings.set(text, text)
      return text
    })
    state.byService.set(virtualService, table)
  }
  return table
}

function selectionFor(target: AuthorityTarget, entry: number): RouteSelection {
  const table = target.table!
  const virtualService = target.virtualService!
  return Object.freeze({
    kind: 'virtualService',
    host: target.host,
    virtualServiceHost: target.virtualServiceHost,
    virtualService,
    route: virtualService.routes[table.entryRoute[entry]!],
    match: table.entryMatch[entry],
  })
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
