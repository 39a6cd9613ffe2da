import type { Inventory, VirtualServiceInfo } from '../inventory.js'
import type { Report } from '../finding.js'
import { refName } from '../finding.js'
import { compareByAge } from '../../compile/order.js'

/**
 * Two VirtualServices bound to the mesh with one host (istioctl analyze IST0109
 * ConflictingMeshGatewayVirtualServiceHosts): sidecars do not merge them, the oldest wins and the
 * others are ignored for that host (reference §1). As Istio's analyzer does, hosts are compared per
 * exportTo scope, so rules exported to disjoint namespaces do not conflict.
 */
export function checkConflictingVirtualServices(inventory: Inventory, report: Report): void {
  const byScopedHost = new Map<string, Array<{ vs: VirtualServiceInfo; index: number }>>()
  for (const vs of inventory.virtualServices) {
    if (!vs.meshBound || vs.isDelegate) continue
    for (const scope of vs.exportScopes) {
      for (const { host, index } of vs.hosts) {
        const key = `${scope} ${host}`
        const list = byScopedHost.get(key) ?? []
        if (!list.some((entry) => entry.vs === vs)) list.push({ vs, index })
        byScopedHost.set(key, list)
      }
    }
  }
  const reported = new Set<string>()
  for (const [key, list] of byScopedHost) {
    if (list.length < 2) continue
    const host = key.slice(key.indexOf(' ') + 1)
    const sorted = [...list].sort((a, b) => compareByAge(a.vs.resource, b.vs.resource))
    const names = sorted.map((entry) => refName(entry.vs.resource)).join(', ')
    const winner = refName(sorted[0]!.vs.resource)
    for (const { vs, index } of sorted) {
      const once = `${refName(vs.resource)} ${index}`
      if (reported.has(once)) continue
      reported.add(once)
      report(
        vs.resource,
        ['spec', 'hosts', index],
        'ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST',
        `VirtualServices ${names} are bound to the mesh and define the same host ${host} (istioctl analyze IST0109 ConflictingMeshGatewayVirtualServiceHosts); ` +
          `sidecars, and meshlet, use only the oldest (${winner}) for this host: merge them into one VirtualService or use delegation`,
      )
    }
  }
}
