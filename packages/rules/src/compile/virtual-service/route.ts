import type { HTTPRoute } from '../../spec/virtual-service.js'
import type { CompiledMatch, CompiledRoute, MeshIdentity, ResourceRef } from '../snapshot.js'
import { compileMatchEntry, isCatchAllEntry } from '../../match/match-entry.js'
import { durationMs } from '../duration.js'
import { compileAction } from './action.js'
import { bindsToMesh, matchApplies } from './applicability.js'
import { compileCors } from './cors.js'
import { compileFault } from './fault.js'
import { compileHeaders } from './headers.js'
import { compileMirrors } from './mirrors.js'
import { compileRetryPolicy } from './retry-policy.js'
import { compileRewrite } from './rewrite.js'
import type { GatewayRouteScope } from '../gateway/binding.js'
import { bindsToGateway, gatewayMatchApplies } from '../gateway/binding.js'

export interface RouteContext {
  readonly identity: MeshIdentity
  readonly vsGateways: readonly string[] | undefined
  readonly source: ResourceRef
  /** Whether a destination balances by consistent hash (its DestinationRule's policy); the VirtualService compiler records each answer. */
  readonly balancesByHash: (host: string, subset: string | undefined, port: number | undefined) => boolean
  /** Set when the route is compiled for a gateway's table rather than for the mesh. */
  readonly gateway?: GatewayRouteScope | undefined
}

export interface RouteCompileResult {
  readonly route: CompiledRoute
  /** A catch-all entry was reached: Istio emits no route after this one. */
  readonly endsTable: boolean
}

/**
 * One HTTP route (hosts already fully qualified). Returns undefined when none of its match entries
 * exists for this workload, as Istio then emits nothing for it.
 */
export function compileRoute(spec: HTTPRoute, index: number, delegate: ResourceRef | undefined, context: RouteContext): RouteCompileResult | undefined {
  const selected = selectMatches(spec, context)
  if (selected === undefined) return undefined
  const { headers, authority } = compileHeaders(spec.headers)
  const timeoutMs = durationMs(spec.timeout)
  const route: CompiledRoute = {
    index,
    name: spec.name || undefined,
    matches: selected.matches,
    action: compileAction(spec),
    rewrite: compileRewrite(spec.rewrite, authority),
    // Istio sets no route timeout unless one is given (`route.go` setTimeout).
    timeoutMs: timeoutMs ? timeoutMs : undefined,
    retries: compileRetryPolicy(spec.retries, usesConsistentHash(spec, context)),
    fault: compileFault(spec.fault),
    mirrors: compileMirrors(spec),
    headers,
    cors: compileCors(spec.corsPolicy),
    delegate,
    source: context.source,
  }
  return { route, endsTable: selected.endsTable }
}

function selectMatches(spec: HTTPRoute, context: RouteContext): { matches: CompiledMatch[] | undefined; endsTable: boolean } | undefined {
  const gateway = context.gateway
  if (!spec.match || spec.match.length === 0) {
    const binds = gateway ? bindsToGateway(context.vsGateways, context.source.namespace, gateway) : bindsToMesh(context.vsGateways)
    return binds ? { matches: undefined, endsTable: true } : undefined
  }
  const matches: CompiledMatch[] = []
  for (const entry of spec.match) {
    if (!entry) continue
    const applies = gateway ? gatewayMatchApplies(entry, context.vsGateways, context.source.namespace, gateway) : matchApplies(entry, context.vsGateways, context.identity)
    if (!applies) continue
    // At a gateway the port was chosen with the table (one table per server port).
    const compiled = gateway ? { ...compileMatchEntry(entry), port: undefined } : compileMatchEntry(entry)
    matches.push(compiled)
    if (isCatchAllEntry(compiled)) return { matches, endsTable: true }
  }
  return matches.length > 0 ? { matches, endsTable: false } : undefined
}

/**
 * Istio drops the previous-hosts retry predicate when the route's single destination balances by
 * consistent hash (`route.go` applyHTTPRouteDestination, hashForHTTPDestination).
 */
function usesConsistentHash(spec: HTTPRoute, context: RouteContext): boolean {
  if (spec.redirect || spec.directResponse || spec.route?.length !== 1) return false
  const destination = spec.route[0]?.destination
  if (!destination?.host) return false
  return context.balancesByHash(destination.host, destination.subset || undefined, destination.port?.number || undefined)
}
