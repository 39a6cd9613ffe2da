import type { HostMatch, RouteTable } from './snapshot.js'
import { HostIndex } from './hosts/host-index.js'
import { compareByAge } from './order.js'
import type { CompiledVirtualServices } from './virtual-service/index.js'
import type { GammaEntry } from './gateway-api/index.js'

/**
 * The mesh's route table: the VirtualServices bound to `mesh`, then the Service hosts of GAMMA
 * HTTPRoutes. A host claimed by both keeps the older rule, as two VirtualServices for one host do
 * in a sidecar (the analyzer warns).
 */
export function meshRouteTable(virtualServices: CompiledVirtualServices, gamma: readonly GammaEntry[]): { table: RouteTable; has(host: string): boolean } {
  let index: HostIndex<HostMatch> = virtualServices.index
  if (gamma.length > 0) {
    index = new HostIndex<HostMatch>()
    const sources = virtualServices.sources
    const claims: Array<{ host: string; match: HostMatch; resource: GammaEntry['oldest'] }> = []
    for (const { host, match, resource } of sources) claims.push({ host, match, resource })
    for (const entry of gamma) claims.push({ host: entry.host, match: entry.match, resource: entry.oldest })
    claims.sort((a, b) => compareByAge(a.resource, b.resource))
    for (const claim of claims) index.add(claim.host, claim.match)
  }
  const final = index
  return { table: { name: 'mesh', unknownHosts: 'forward', upstreamScheme: 'request', lookup: (host) => final.lookup(host)?.value }, has: (host) => final.has(host) }
}
