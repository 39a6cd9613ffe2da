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
import type { RouteContext } from './route.js'
import type { SourcePosition } from '../../source/resource.js'
import { deepFreeze } from '../freeze.js'
import type { Steps } from '../../internal/steps.js'
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
export function* compileVirtualServices(resources: readonly RawResource[], identity: MeshIdentity, destinationRules: HostIndex<CompiledDestinationRule>): Steps<CompiledVirtualServices> {
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
    const virtualService = reusable(resource, identity, destinationRules) ?? compileVirtualService(resource, spec, delegates, identity, destinationRules)
    yield
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

function compileVirtualService(resource: RawResource, spec: VirtualServiceSpec, delegates: ReadonlyMap<string, RawResource>, identity: MeshIdentity, destinationRules: HostIndex<CompiledDestinationRule>): CompiledVirtualService {
  const hashLookups: HashLookup[] = []
  const balancesByHash = (host: string, subset: string | undefined, port: number | undefined) => {
    const answer = balancesByConsistentHash(destinationRules)(host, subset, port)
    hashLookups.push({ host, subset, port, answer })
    return answer
  }
  const virtualService: CompiledVirtualService = {
    ref: refOf(resource),
    hosts: (spec.hosts ?? []).map((host) => resolveShortName(host, resource.namespace, identity.domain)),
    routes: compileRoutes(resource, delegates, identity, balancesByHash),
  }
  // Frozen here, one at a time, so the snapshot's final freeze finds it done (and a sliced compile stays sliced).
  deepFreeze(virtualService)
  // One without delegate routes depends only on its own object, the workload and these DestinationRule answers.
  if (!(spec.http ?? []).some((route) => route?.delegate)) {
    compiled.set(resource.object, { identity, namespace: resource.namespace, position: virtualService.ref.position, hashLookups, virtualService })
  }
  return virtualService
}

/** Whether a destination balances by consistent hash, by its DestinationRule's policy for the subset and port. */
export function balancesByConsistentHash(destinationRules: HostIndex<CompiledDestinationRule>): RouteContext['balancesByHash'] {
  return (host, subset, port) => destinationRules.lookup(host)?.value.policyFor(subset, port).loadBalancer.consistentHash !== undefined
}

interface HashLookup {
  readonly host: string
  readonly subset: string | undefined
  readonly port: number | undefined
  readonly answer: boolean
}

/**
 * VirtualServices compiled before, by their frozen resource object: a reload reads unchanged
 * documents as the same objects (source/parse.ts), and such a VirtualService compiles to the same
 * result when the workload, its namespace, its position and every DestinationRule answer its routes
 * asked for are unchanged. A rule change in a 10,000-route mesh then compiles only what changed.
 */
const compiled = new WeakMap<object, { readonly identity: MeshIdentity; readonly namespace: string; readonly position: SourcePosition; readonly hashLookups: readonly HashLookup[]; readonly virtualService: CompiledVirtualService }>()

function reusable(resource: RawResource, identity: MeshIdentity, destinationRules: HostIndex<CompiledDestinationRule>): CompiledVirtualService | undefined {
  const entry = compiled.get(resource.object)
  if (entry === undefined || entry.namespace !== resource.namespace || !sameIdentity(entry.identity, identity)) return undefined
  const position = resource.locate([])
  if (position.file !== entry.position.file || position.line !== entry.position.line || position.column !== entry.position.column) return undefined
  for (const lookup of entry.hashLookups) {
    if (balancesByConsistentHash(destinationRules)(lookup.host, lookup.subset, lookup.port) !== lookup.answer) return undefined
  }
  return entry.virtualService
}

function sameIdentity(a: MeshIdentity, b: MeshIdentity): boolean {
  if (a === b) return true
  if (a.namespace !== b.namespace || a.domain !== b.domain) return false
  const keys = Object.keys(a.labels)
  return keys.length === Object.keys(b.labels).length && keys.every((key) => a.labels[key] === b.labels[key])
}

/**
 * First match wins, so nothing after the first catch-all can be reached: Istio stops there. With a
 * gateway scope, the routes are those of that gateway's table for one server port.
 */
export function compileRoutes(
  resource: RawResource,
  delegates: ReadonlyMap<string, RawResource>,
  identity: MeshIdentity,
  balancesByHash: RouteContext['balancesByHash'],
  gateway?: GatewayRouteScope,
): CompiledRoute[] {
  const spec = resource.spec as VirtualServiceSpec
  const context: RouteContext = { identity, vsGateways: spec.gateways, source: refOf(resource), balancesByHash, gateway }
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
