import type { RawResource } from '../../source/resource.js'
import type { VirtualServiceSpec } from '../../spec/virtual-service.js'
import type { CompiledDestinationRule, CompiledRoute, CompiledVirtualService, HostMatch, MeshIdentity } from '../snapshot.js'
import { resolveShortName } from '../hosts/fqdn.js'
import { HostIndex } from '../hosts/host-index.js'
import { compareByAge, refOf } from '../order.js'
import { isExportedTo } from '../visibility.js'
import { bindsToMesh } from './applicability.js'
import { expandRoutes, indexDelegates } from './delegates.js'
import { compileRoute } from './route.js'
import type { GatewayRouteScope } from '../gateway/binding.js'

export interface CompiledVirtualServices {
  readonly list: CompiledVirtualService[]
  /** Host → the VirtualService that owns it, with the host (FQDN or wildcard) it is indexed under. */
  readonly index: HostIndex<HostMatch>
  /** What was indexed, in order, with the resource each came from (the mesh table merges GAMMA routes in by age). */
  readonly sources: ReadonlyArray<{ readonly host: string; readonly match: HostMatch; readonly resource: RawResource }>
}

/**
 * Root VirtualServices this workload sees, oldest first. A host claimed by two VirtualServices
 * keeps the oldest, as Istio does for sidecars (the analyzer warns, IST0109). A VirtualService with
 * no route left for this workload is not indexed: Istio then builds the host's default route.
 */
export function compileVirtualServices(resources: readonly RawResource[], identity: MeshIdentity, destinationRules: HostIndex<CompiledDestinationRule>): CompiledVirtualServices {
  const all = resources.filter((resource) => resource.kind === 'VirtualService' && resource.spec)
  const delegates = indexDelegates(all)
  const roots = all
    .filter((resource) => ((resource.spec as VirtualServiceSpec).hosts ?? []).length > 0)
    .filter((resource) => isExportedTo((resource.spec as VirtualServiceSpec).exportTo, resource.namespace, identity.namespace))
    .sort(compareByAge)
  const list: CompiledVirtualService[] = []
  const index = new HostIndex<HostMatch>()
  const sources: Array<{ host: string; match: HostMatch; resource: RawResource }> = []
  for (const resource of roots) {
    const spec = resource.spec as VirtualServiceSpec
    const virtualService: CompiledVirtualService = {
      ref: refOf(resource),
      hosts: (spec.hosts ?? []).map((host) => resolveShortName(host, resource.namespace, identity.domain)),
      routes: compileRoutes(resource, delegates, identity, destinationRules),
    }
    if (!bindsToMesh(spec.gateways) && virtualService.routes.length === 0) continue
    list.push(virtualService)
    if (virtualService.routes.length === 0) continue
    for (const host of virtualService.hosts) {
      const match = { host, virtualService }
      if (index.add(host, match)) sources.push({ host, match, resource })
    }
  }
  return { list, index, sources }
}

/**
 * First match wins, so nothing after the first catch-all can be reached: Istio stops there. With a
 * gateway scope, the routes are those of that gateway's table for one server port.
 */
export function compileRoutes(
  resource: RawResource,
  delegates: ReadonlyMap<string, RawResource>,
  identity: MeshIdentity,
  destinationRules: HostIndex<CompiledDestinationRule>,
  gateway?: GatewayRouteScope,
): CompiledRoute[] {
  const spec = resource.spec as VirtualServiceSpec
  const context = { identity, vsGateways: spec.gateways, source: refOf(resource), destinationRules, gateway }
  const routes: CompiledRoute[] = []
  const expanded = expandRoutes(resource, delegates, identity.domain)
  for (let index = 0; index < expanded.length; index++) {
    const compiled = compileRoute(expanded[index]!.spec, index, expanded[index]!.delegate, context)
    if (!compiled) continue
    routes.push(compiled.route)
    if (compiled.endsTable) break
  }
  return routes
}
