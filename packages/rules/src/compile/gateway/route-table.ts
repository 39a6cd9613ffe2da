import type { CompiledRoute, CompiledVirtualService, HostMatch, ResourceRef, RouteTable } from '../snapshot.js'
import { HostIndex } from '../hosts/host-index.js'
import { isCatchAllEntry } from '../../match/match-entry.js'

/** One host of a gateway table while it is built: routes in the order they were added. */
export interface HostEntry {
  readonly host: string
  readonly ref: ResourceRef
  readonly routes: CompiledRoute[]
  requireTls: boolean
}

/**
 * Builds a gateway port's table from its hosts. Istio merges every VirtualService for one host at
 * a gateway, oldest first, then moves the catch-all routes to the end keeping the order of the
 * others (`route.go` SortVHostRoutes), so a catch-all of an older VirtualService does not hide the
 * routes of a newer one. `sortCatchAllLast` is false for Gateway API tables, already in the API's
 * precedence order.
 */
export function buildGatewayTable(name: string, entries: Iterable<HostEntry>, sortCatchAllLast: boolean): { table: RouteTable; hosts: string[] } {
  const index = new HostIndex<HostMatch>()
  const hosts: string[] = []
  for (const entry of entries) {
    const routes = sortCatchAllLast ? catchAllLast(entry.routes) : entry.routes
    const virtualService: CompiledVirtualService = { ref: entry.ref, hosts: [entry.host], routes }
    index.add(entry.host, entry.requireTls ? { host: entry.host, virtualService, requireTls: true } : { host: entry.host, virtualService })
    hosts.push(entry.host)
  }
  return { table: { name, unknownHosts: 'strict', upstreamScheme: 'http', lookup: (host) => index.lookup(host)?.value }, hosts }
}

/**
 * Envoy has one route per match entry, so a route whose last entry is a catch-all is split: its
 * other entries keep their place and the catch-all entry moves to the end.
 */
function catchAllLast(routes: readonly CompiledRoute[]): CompiledRoute[] {
  const kept: CompiledRoute[] = []
  const last: CompiledRoute[] = []
  for (const route of routes) {
    const matches = route.matches
    if (matches === undefined) {
      last.push(route)
      continue
    }
    const catchAll = matches.findIndex(isCatchAllEntry)
    if (catchAll === -1) kept.push(route)
    else {
      if (catchAll > 0) kept.push({ ...route, matches: matches.slice(0, catchAll) })
      last.push({ ...route, matches: [matches[catchAll]!] })
    }
  }
  return kept.length === routes.length ? kept : [...kept, ...last]
}
