import { LOCAL_REASONS, localReply } from '@meshlet/core'
import type { MeshRequest, MeshResponse } from '@meshlet/core'
import { pickDestination, rewritePath, selectRoute } from '@meshlet/rules'
import type { CompiledDestination, CompiledRoute, RouteTable, RouteToDestinations } from '@meshlet/rules'
import type { MeshCallContext, MeshCallTarget, MeshHandler, MeshLayer } from '../call-context.js'
import { applyRequestOperations, applyResponseOperations, isEmpty } from './header-operations.js'
import { directResponse, httpsRedirect, redirectResponse } from './local-actions.js'
import { withoutMeshOnlyHeaders } from '../propagation/outbound.js'
import { MeshRouteRequest } from './route-request.js'
import type { Destination, TargetResolver } from './targets.js'

/**
 * The router: matches the request against the snapshot the call started with and acts as the
 * VirtualService says. A route sends the request to a weighted destination (random draw from
 * the context), with uri/authority rewrites and request/response header operations at route and
 * destination level (see `operationOrder`); `redirect` and `directResponse` are
 * answered here; no matching route is a 404. A host with no VirtualService goes to all its
 * endpoints, an unknown host to the network as written. The router writes what it decided into
 * the call's context (`route`, `target`), which every layer below reads.
 */
export function createRouterLayer(targets: TargetResolver): MeshLayer {
  return (next) => (request, context) => {
    const snapshot = context.snapshot
    const routeRequest = new MeshRouteRequest(request)
    // The table is the call's (a gateway port's) or the mesh's.
    const table = context.routeTable ?? snapshot.meshRoutes
    const selection = selectRoute(snapshot, routeRequest, table)
    if (selection.kind === 'unknownHost') return Promise.resolve(localReply(404, LOCAL_REASONS.noRoute))
    if (selection.kind === 'httpsRedirect') return Promise.resolve(httpsRedirect(request))
    if (selection.kind !== 'virtualService') {
      // Known service without VirtualService, or unknown host: the host's own endpoints (local
      // option, ServiceEntry) when it has some, else the network, as the caller wrote it.
      const resolved = snapshot.resolveAuthority(request.authority)
      const destination: Destination = { host: resolved.host, subset: undefined, port: routeRequest.port, passthroughName: resolved.name, scheme: upstreamScheme(table, request) }
      return send(next, targets, request, context, undefined, destination)
    }
    const route = selection.route
    if (route === undefined) return Promise.resolve(localReply(404, LOCAL_REASONS.noRoute))
    const action = route.action
    switch (action.kind) {
      case 'none':
        return Promise.resolve(localReply(404, LOCAL_REASONS.noRoute))
      case 'directResponse':
        return Promise.resolve(withResponseOperations(directResponse(action), undefined, route))
      case 'redirect':
        return Promise.resolve(withResponseOperations(redirectResponse(action, selection.match, routeRequest), undefined, route))
      case 'route':
        return routeTo(next, targets, request, context, routeRequest, route, action, selection, upstreamScheme(table, request))
    }
  }
}

function routeTo(
  next: MeshHandler,
  targets: TargetResolver,
  request: MeshRequest,
  context: MeshCallContext,
  routeRequest: MeshRouteRequest,
  route: CompiledRoute,
  action: RouteToDestinations,
  selection: { readonly host: string; readonly match: Parameters<typeof rewritePath>[1] },
  scheme: 'http' | 'https',
): Promise<MeshResponse> {
  const chosen = pickDestination(action, context.random())
  // A Gateway API backendRef that does not resolve answers 500 for its share.
  if (chosen.unresolved !== undefined) return Promise.resolve(localReply(500, LOCAL_REASONS.invalidBackend))
  const sameHost = chosen.host === selection.host
  const destination: Destination = {
    host: chosen.host,
    subset: chosen.subset,
    port: chosen.port ?? routeRequest.port,
    passthroughName: sameHost ? context.snapshot.resolveAuthority(request.authority).name : chosen.host,
    scheme,
  }
  const first = destinationFirst(action)
  const path = route.rewrite === undefined ? request.path : rewritePath(route.rewrite, selection.match, routeRequest.path, routeRequest.query)
  const authority = route.rewrite?.authority ?? chosen.authority ?? request.authority
  const headers = first
    ? applyRequestOperations(applyRequestOperations(request.headers, chosen.headers.request), route.headers.request)
    : applyRequestOperations(applyRequestOperations(request.headers, route.headers.request), chosen.headers.request)
  // Most routes change nothing in the request: it goes down as it came.
  const forwarded: MeshRequest = path === request.path && authority === request.authority && headers === request.headers ? request : { ...request, path, authority, headers }
  const sent = send(next, targets, forwarded, context, route, destination)
  if (!hasResponseOperations(chosen, route)) return sent
  return sent.then((response) => withResponseOperations(response, chosen, route, first))
}

/**
 * The order of destination- and route-level header operations, which decides whose `set` wins.
 * With several destinations Istio puts the destination's operations on Envoy's weighted cluster,
 * which Envoy applies before the route's (the route wins). With one destination Istio appends
 * them after the route's own (the destination wins) (istio route.go applyHTTPRouteDestination,
 * "we append the weighted last which allows it to Set and wipe out previous Adds").
 */
function destinationFirst(action: RouteToDestinations): boolean {
  return action.destinations.length > 1
}

/** Resolves the target (maybe waiting for DNS) and calls the layers below with it. */
function send(
  next: MeshHandler,
  targets: TargetResolver,
  request: MeshRequest,
  context: MeshCallContext,
  route: CompiledRoute | undefined,
  destination: Destination,
): Promise<MeshResponse> {
  const resolved = targets.resolve(context.snapshot, destination)
  if (resolved instanceof Promise) return resolved.then((target) => forward(next, request, context, route, target))
  return forward(next, request, context, route, resolved)
}

/**
 * Calls the layers below with the target, or answers the local reply the resolver gave instead. A
 * destination outside the mesh does not get the routing and identity headers handed on from the
 * inbound request (trace context still goes).
 */
function forward(next: MeshHandler, request: MeshRequest, context: MeshCallContext, route: CompiledRoute | undefined, target: MeshCallTarget | MeshResponse): Promise<MeshResponse> {
  if ('status' in target) return Promise.resolve(target)
  context.route = route
  context.target = target
  return next(target.inMesh ? request : withoutMeshOnlyHeaders(request, context.meshOnlyHeaders), context)
}

function hasResponseOperations(destination: CompiledDestination, route: CompiledRoute): boolean {
  return !isEmpty(destination.headers.response) || !isEmpty(route.headers.response)
}

/** Response header operations of the route and the chosen destination, in the order destinationFirst says. */
function withResponseOperations(response: MeshResponse, destination: CompiledDestination | undefined, route: CompiledRoute, destinationFirst = false): MeshResponse {
  const forDestination = destination?.headers.response
  const forRoute = route.headers.response
  const destinationEmpty = forDestination === undefined || isEmpty(forDestination)
  if (destinationEmpty && isEmpty(forRoute)) return response
  let headers = response.headers
  if (destinationFirst && !destinationEmpty) headers = applyResponseOperations(headers, forDestination)
  headers = applyResponseOperations(headers, forRoute)
  if (!destinationFirst && !destinationEmpty) headers = applyResponseOperations(headers, forDestination)
  return { ...response, headers }
}

/** The scheme the upstream call starts from: the request's for the mesh, plain http past a gateway (see RouteTable). */
function upstreamScheme(table: RouteTable, request: MeshRequest): 'http' | 'https' {
  return table.upstreamScheme === 'http' ? 'http' : request.scheme
}
