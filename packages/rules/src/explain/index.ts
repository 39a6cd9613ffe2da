import type { Random } from '@meshlet/core'
import { systemRandom } from '@meshlet/core'
import type { CompiledDestination, CompiledRoute, MeshSnapshot } from '../compile/snapshot.js'
import { deepFreeze } from '../compile/freeze.js'
import { NO_HEADER_OPERATIONS } from '../compile/virtual-service/headers.js'
import { defaultRetryPolicy, noRouteAction } from '../route/defaults.js'
import { pickDestination } from '../route/pick-destination.js'
import { redirectLocation } from '../route/redirect-location.js'
import { rewritePath } from '../route/rewrite-path.js'
import type { RouteSelection } from '../route/select-route.js'
import { selectRoute } from '../route/select-route.js'
import type { RouteDecision } from './decision.js'
import type { ParsedExplainRequest } from './request.js'
import { toRouteRequest } from './request.js'
import { displayKind } from '../source/resource.js'
import { corsJson, destinationJson, faultJson, headersJson, mirrorJson, policyJson, retriesJson } from './json.js'

export interface ExplainOptions {
  /** Draws the weighted destination; inject `seededRandom(n)` for a reproducible pick. */
  readonly random?: Random
  /**
   * For a snapshot compiled for a gateway: the gateway port the request arrives on (default: the
   * URL's port). The request is then explained as the gateway routes it.
   */
  readonly gatewayPort?: number
}

/**
 * What the mesh would do with a request, as plain JSON: the VirtualService and route that match,
 * the action, every destination with its weight and the one drawn with `random`, and the policies
 * (retries, timeout, fault, mirrors, headers, CORS, the destination's traffic policy) that apply.
 * Throws MESHLET_ERR_INVALID_REQUEST for a bad URL or an empty method.
 */
export function explain(
  snapshot: MeshSnapshot,
  input: { readonly method: string; readonly url: string; readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>> },
  options: ExplainOptions = {},
): RouteDecision {
  const request = toRouteRequest(input.method, input.url, input.headers)
  const gateway = snapshot.gateway
  let table = snapshot.meshRoutes
  if (gateway !== undefined) {
    const port = options.gatewayPort ?? request.port ?? 80
    const served = gateway.portFor(port)
    if (served === undefined) {
      return { ...EMPTY_DECISION, routeTable: `${gateway.name}:${port}`, host: request.authority, reason: `the gateway ${gateway.name} has no server on port ${port} (ports: ${gateway.ports.map((p) => p.port).join(', ') || 'none'})` }
    }
    table = served.routes
  }
  const selection = selectRoute(snapshot, request, table)
  const decision = decide(snapshot, selection, request, options)
  return table === snapshot.meshRoutes ? decision : { ...decision, routeTable: table.name }
}

function decide(snapshot: MeshSnapshot, selection: RouteSelection, request: ParsedExplainRequest, options: ExplainOptions): RouteDecision {
  switch (selection.kind) {
    case 'unknownHost':
      return { ...EMPTY_DECISION, host: selection.host, action: 'noRoute', reason: 'no VirtualService bound to the gateway (or HTTPRoute attached to it) serves this host: the gateway answers 404 (Envoy flag NR)' }
    case 'httpsRedirect':
      return { ...EMPTY_DECISION, host: selection.host, action: 'redirect', redirect: { status: 301, location: `https://${request.authority}${request.pathWithQuery}` }, reason: 'the server has tls.httpsRedirect: plain HTTP is sent to https' }
    case 'passthrough':
      return { ...EMPTY_DECISION, host: selection.host, action: 'passthrough', reason: 'no rule or registry entry knows this host; it is sent to the network as written', selected: { host: selection.host, subset: null, port: request.port ?? null } }
    case 'service':
      return serviceDecision(snapshot, selection.host, request)
    case 'virtualService':
      return virtualServiceDecision(snapshot, selection, request, options.random ?? systemRandom)
  }
}

const EMPTY_DECISION: RouteDecision = {
  routeTable: 'mesh',
  source: null,
  host: '',
  virtualService: null,
  delegate: null,
  route: null,
  action: 'noRoute',
  reason: null,
  destinations: [],
  selected: null,
  rewrite: null,
  redirect: null,
  directResponse: null,
  timeoutMs: null,
  retries: null,
  fault: null,
  mirrors: [],
  headers: headersJson(NO_HEADER_OPERATIONS),
  corsPolicy: null,
  destinationRule: null,
  trafficPolicy: null,
}

/** A host with no VirtualService: Istio's default route to the host itself (`route.go` BuildDefaultHTTPOutboundRoute). */
function serviceDecision(snapshot: MeshSnapshot, host: string, request: ParsedExplainRequest): RouteDecision {
  return {
    ...EMPTY_DECISION,
    host,
    action: 'route',
    destinations: [{ host, subset: null, port: null, weight: 100, headers: headersJson(NO_HEADER_OPERATIONS) }],
    selected: { host, subset: null, port: request.port ?? null },
    rewrite: null,
    retries: retriesJson(defaultRetryPolicy),
    ...policyFields(snapshot, host, undefined, request.port),
  }
}

function virtualServiceDecision(snapshot: MeshSnapshot, selection: Extract<RouteSelection, { kind: 'virtualService' }>, request: ParsedExplainRequest, random: Random): RouteDecision {
  const route = selection.route
  const action = route?.action
  // The routed case is the common one (mesh.explain per call): one object, no spreads.
  if (route && action?.kind === 'route') return routeDecision(snapshot, route, action, selection, request, random)
  const base: RouteDecision = {
    ...EMPTY_DECISION,
    host: selection.host,
    virtualService: `${selection.virtualService.ref.namespace}/${selection.virtualService.ref.name}`,
  }
  if (!route || !action) return { ...base, action: 'noRoute', reason: noRouteAction.reason }
  const routed: RouteDecision = {
    ...base,
    // Merged tables (a gateway's, GAMMA's) hold routes of several resources: name the route's own.
    virtualService: `${route.source.namespace}/${route.source.name}`,
    delegate: route.delegate ? `${route.delegate.namespace}/${route.delegate.name}` : null,
    route: { index: route.index, name: route.name ?? null, match: selection.match?.name ?? null },
    source: `${displayKind(route.source.kind)} ${route.source.namespace}/${route.source.name}`,
    headers: headersJson(route.headers),
    corsPolicy: corsJson(route.cors),
  }
  switch (action.kind) {
    case 'none':
      return { ...routed, action: 'noRoute', reason: action.reason }
    case 'redirect':
      return { ...routed, action: 'redirect', redirect: { status: action.status, location: redirectLocation(action, selection.match, request) } }
    case 'directResponse':
      return { ...routed, action: 'directResponse', directResponse: { status: action.status, body: action.body ?? null }, fault: faultJson(route.fault) }
    case 'route':
      return routeDecision(snapshot, route, action, selection, request, random)
  }
}

function routeDecision(
  snapshot: MeshSnapshot,
  route: CompiledRoute,
  action: Extract<CompiledRoute['action'], { kind: 'route' }>,
  selection: Extract<RouteSelection, { kind: 'virtualService' }>,
  request: ParsedExplainRequest,
  random: Random,
): RouteDecision {
  const picked = pickDestination(action, random())
  const json = routeJsonOf(route, action)
  if (picked.unresolved !== undefined) {
    return {
      ...EMPTY_DECISION,
      host: selection.host,
      virtualService: json.virtualService,
      source: json.source,
      delegate: json.delegate,
      route: { index: route.index, name: route.name ?? null, match: selection.match?.name ?? null },
      action: 'directResponse',
      destinations: json.destinations,
      directResponse: { status: 500, body: null },
      headers: json.headers,
      corsPolicy: json.corsPolicy,
      reason: `the backend drawn does not resolve: ${picked.unresolved} (the Gateway API answers 500)`,
    }
  }
  const port = picked.port ?? request.port
  const rewrite = route.rewrite
  const policy = policyOf(snapshot, picked, port)
  return {
    routeTable: 'mesh',
    source: json.source,
    host: selection.host,
    virtualService: json.virtualService,
    delegate: json.delegate,
    route: { index: route.index, name: route.name ?? null, match: selection.match?.name ?? null },
    action: 'route',
    reason: null,
    destinations: json.destinations,
    selected: { host: picked.host, subset: picked.subset ?? null, port: port ?? null },
    rewrite: rewrite
      ? {
          uri: rewrite.uri ?? null,
          uriRegexRewrite: rewrite.uriRegex ? { match: rewrite.uriRegex.match, rewrite: rewrite.uriRegex.rewrite } : null,
          authority: rewrite.authority ?? picked.authority ?? null,
          path: rewritePath(rewrite, selection.match, request.path, request.query),
        }
      : picked.authority
        ? { uri: null, uriRegexRewrite: null, authority: picked.authority, path: rewritePath(undefined, undefined, request.path, request.query) }
        : null,
    redirect: null,
    directResponse: null,
    timeoutMs: route.timeoutMs ?? null,
    retries: json.retries,
    fault: json.fault,
    mirrors: json.mirrors,
    headers: json.headers,
    corsPolicy: json.corsPolicy,
    destinationRule: policy.destinationRule,
    trafficPolicy: policy.trafficPolicy,
  }
}

/** The DestinationRule and policy JSON of a destination at a port, kept per compiled destination (each belongs to one snapshot). */
const destinationPolicies = new WeakMap<CompiledDestination, Map<number | undefined, Pick<RouteDecision, 'destinationRule' | 'trafficPolicy'>>>()

function policyOf(snapshot: MeshSnapshot, destination: CompiledDestination, port: number | undefined): Pick<RouteDecision, 'destinationRule' | 'trafficPolicy'> {
  let byPort = destinationPolicies.get(destination)
  if (byPort === undefined) {
    byPort = new Map()
    destinationPolicies.set(destination, byPort)
  }
  let fields = byPort.get(port)
  if (fields === undefined) {
    fields = policyFields(snapshot, destination.host, destination.subset, port)
    byPort.set(port, fields)
  }
  return fields
}

/** The parts of a routed decision that depend on the route alone. */
interface RouteJson {
  /** The route's own resource: merged tables (a gateway's, GAMMA's) hold routes of several. */
  readonly virtualService: string
  readonly source: string
  readonly delegate: string | null
  readonly destinations: RouteDecision['destinations']
  readonly retries: RouteDecision['retries']
  readonly fault: RouteDecision['fault']
  readonly mirrors: RouteDecision['mirrors']
  readonly headers: RouteDecision['headers']
  readonly corsPolicy: RouteDecision['corsPolicy']
}

/**
 * Written once per compiled route and frozen, as the traffic policies are (json.ts): rebuilding
 * them was most of what an explain() call allocated. A decision shares them; they are plain JSON.
 */
const routeJsonCache = new WeakMap<CompiledRoute, RouteJson>()

function routeJsonOf(route: CompiledRoute, action: Extract<CompiledRoute['action'], { kind: 'route' }>): RouteJson {
  let json = routeJsonCache.get(route)
  if (json === undefined) {
    json = deepFreeze({
      virtualService: `${route.source.namespace}/${route.source.name}`,
      source: `${displayKind(route.source.kind)} ${route.source.namespace}/${route.source.name}`,
      delegate: route.delegate ? `${route.delegate.namespace}/${route.delegate.name}` : null,
      destinations: action.destinations.map(destinationJson),
      retries: retriesJson(route.retries),
      fault: faultJson(route.fault),
      mirrors: route.mirrors.map(mirrorJson),
      headers: headersJson(route.headers),
      corsPolicy: corsJson(route.cors),
    })
    routeJsonCache.set(route, json)
  }
  return json
}

function policyFields(snapshot: MeshSnapshot, host: string, subset: string | undefined, port: number | undefined): Pick<RouteDecision, 'destinationRule' | 'trafficPolicy'> {
  const rule = snapshot.lookupDestinationRule(host)
  return {
    destinationRule: rule ? `${rule.ref.namespace}/${rule.ref.name}` : null,
    trafficPolicy: policyJson(snapshot.trafficPolicyFor(host, subset, port)),
  }
}

export type * from './decision.js'
