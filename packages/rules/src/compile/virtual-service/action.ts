import type { HTTPDirectResponse, HTTPRedirect, HTTPRoute, HTTPRouteDestination } from '../../spec/virtual-service.js'
import type { CompiledDestination, CompiledDirectResponse, CompiledRedirect, NoAction, RouteAction, RouteToDestinations } from '../snapshot.js'
import { compileHeaders } from './headers.js'

/** Istio/Envoy redirect codes (`route.go` ApplyRedirect): 301 when unset; other codes give no action. */
export const REDIRECT_DEFAULTS = {
  status: 301,
  producedStatuses: [301, 302, 303, 307, 308],
} as const

/** A single destination gets all traffic; the proto says its weight is then taken as 100. */
const SINGLE_DESTINATION_WEIGHT = 100

/** The route's action; destination hosts are already fully qualified (resolve-hosts.ts). */
export function compileAction(route: HTTPRoute): RouteAction {
  if (route.redirect) return compileRedirect(route.redirect)
  if (route.directResponse) return compileDirectResponse(route.directResponse)
  if (route.route && route.route.length > 0) return compileDestinations(route.route)
  return { kind: 'none', reason: 'the route has no route, redirect or directResponse' }
}

function compileRedirect(spec: HTTPRedirect): CompiledRedirect | NoAction {
  const status = spec.redirectCode || REDIRECT_DEFAULTS.status
  if (!(REDIRECT_DEFAULTS.producedStatuses as readonly number[]).includes(status)) {
    return { kind: 'none', reason: `redirect code ${status} is not one Envoy produces (301, 302, 303, 307, 308)` }
  }
  return {
    kind: 'redirect',
    uri: spec.uri || undefined,
    prefixRewrite: spec.prefixRewrite || undefined,
    authority: spec.authority || undefined,
    scheme: spec.scheme || undefined,
    port: spec.port || undefined,
    derivePort: spec.derivePort,
    status,
  }
}

function compileDirectResponse(spec: HTTPDirectResponse): CompiledDirectResponse {
  if (spec.body?.bytes !== undefined) return { kind: 'directResponse', status: spec.status, body: spec.body.bytes, bodyEncoding: 'base64' }
  return { kind: 'directResponse', status: spec.status, body: spec.body?.string, bodyEncoding: 'utf8' }
}

/**
 * Weights are relative (reference §4; `route.go` applyHTTPRouteDestination): one destination gets
 * everything whatever its weight; with several, a destination with weight 0 or none is dropped and
 * the rest split in proportion to their weights, cumulatively for a binary search per request.
 */
export function compileDestinations(specs: readonly HTTPRouteDestination[]): RouteToDestinations | NoAction {
  const single = specs.length === 1
  const kept = single ? specs : specs.filter((spec) => typeof spec.weight === 'number' && spec.weight > 0)
  if (kept.length === 0) return { kind: 'none', reason: 'every destination has weight 0' }
  const destinations: CompiledDestination[] = []
  const cumulativeWeights: number[] = []
  let totalWeight = 0
  for (const spec of kept) {
    const weight = single ? (spec.weight && spec.weight > 0 ? spec.weight : SINGLE_DESTINATION_WEIGHT) : spec.weight!
    const { headers, authority } = compileHeaders(spec.headers)
    destinations.push({
      host: spec.destination?.host ?? '',
      subset: spec.destination?.subset || undefined,
      port: spec.destination?.port?.number || undefined,
      weight,
      headers,
      authority,
    })
    totalWeight += weight
    cumulativeWeights.push(totalWeight)
  }
  return { kind: 'route', destinations, cumulativeWeights, totalWeight }
}
