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
import { deepFreeze } from '../freeze.js'
import type { Steps } from '../../internal/steps.js'

export interface CompiledVirtualServices {
  readonly list: CompiledVirtualService[]
  /** Host → the VirtualService that owns it, with the host (FQDN or wildcard) it is indexed under. */
  readonly index: HostIndex<HostMatch>
}

/**
 * Root VirtualServices this workload sees, oldest first. A host claimed by two VirtualServices
 * keeps the oldest, as Istio does for sidecars (the analyzer warns, IST0109). A VirtualService with
 * no route left for this workload is not indexed: Istio then builds the host's default route.
 */
export function* compileVirtualServices(resources: readonly RawResource[], identity: MeshIdentity, destinationRules: HostIndex<CompiledDestinationRule>): Steps<CompiledVirtualServices> {
  const all = resources.filter((resource) => resource.kind === 'VirtualService' && resource.spec)
  const delegates = indexDelegates(all)
  const roots = all
    .filter((resource) => ((resource.spec as VirtualServiceSpec).hosts ?? []).length > 0)
    .filter((resource) => isExportedTo((resource.spec as VirtualServiceSpec).exportTo, resource.namespace, identity.namespace))
    .sort(compareByAge)
  const list: CompiledVirtualService[] = []
  const index = new HostIndex<HostMatch>()
  for (const resource of roots) {
    const spec = resource.spec as VirtualServiceSpec
    const virtualService: CompiledVirtualService = {
      ref: refOf(resource),
      hosts: (spec.hosts ?? []).map((host) => resolveShortName(host, resource.namespace, identity.domain)),
      routes: compileRoutes(resource, delegates, identity, destinationRules),
    }
    // Frozen here, one at a time, so the snapshot's final freeze finds it done (and a sliced compile stays sliced).
    deepFreeze(virtualService)
    yield
    if (!bindsToMesh(spec.gateways) && virtualService.routes.length === 0) continue
    list.push(virtualService)
    if (virtualService.routes.length === 0) continue
    for (const host of virtualService.hosts) index.add(host, { host, virtualService })
  }
  return { list, index }
}

/** First match wins, so nothing after the first catch-all can be reached: Istio stops there. */
function compileRoutes(resource: RawResource, delegates: ReadonlyMap<string, RawResource>, identity: MeshIdentity, destinationRules: HostIndex<CompiledDestinationRule>): CompiledRoute[] {
  const spec = resource.spec as VirtualServiceSpec
  const context = { identity, vsGateways: spec.gateways, source: refOf(resource), destinationRules }
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
