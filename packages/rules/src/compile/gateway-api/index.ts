import type { RawResource } from '../../source/resource.js'
import type { HTTPRouteSpec } from '../../spec/gateway-api.js'
import type { CompiledGatewayPort, CompiledGatewayServer, CompiledRoute, HostMatch, MeshIdentity, RouteParentStatus } from '../snapshot.js'
import { compareByAge, refOf } from '../order.js'
import type { HostEntry } from '../gateway/route-table.js'
import { buildGatewayTable } from '../gateway/route-table.js'
import { attachRoutes, namesService } from './attachment.js'
import type { CompiledHttpRoute, RouteCandidate } from './http-route.js'
import { compileHttpRoute } from './http-route.js'
import { listenerServers } from './listeners.js'
import { sortByPrecedence } from './precedence.js'
import { ReferenceGrants } from './reference-grants.js'

/** HTTPRoutes compiled once per snapshot, shared by the gateway tables and GAMMA. */
export class HttpRoutes {
  readonly grants: ReferenceGrants
  readonly routes: readonly RawResource[]
  private readonly compiled = new Map<RawResource, CompiledHttpRoute>()

  constructor(resources: readonly RawResource[], private readonly domain: string) {
    this.grants = new ReferenceGrants(resources)
    this.routes = resources.filter((resource) => resource.kind === 'HTTPRoute' && resource.spec).sort(compareByAge)
  }

  of(route: RawResource): CompiledHttpRoute {
    let compiled = this.compiled.get(route)
    if (compiled === undefined) {
      compiled = compileHttpRoute(route, this.domain, this.grants)
      this.compiled.set(route, compiled)
    }
    return compiled
  }
}

/**
 * The ports of a Gateway API Gateway: its listeners, and for each port a table whose hosts are the
 * hostnames routes attached with; each host's routes are every attached match in the API's
 * precedence order. Also the status of every parentRef naming the Gateway, with ResolvedRefs.
 */
export function kubernetesGatewayPorts(gateway: RawResource, httpRoutes: HttpRoutes): { ports: CompiledGatewayPort[]; servers: CompiledGatewayServer[]; status: RouteParentStatus[] } {
  const servers = listenerServers(gateway)
  const { attachments, status } = attachRoutes(gateway, httpRoutes.routes)
  const listeners = servers
  const byPort = new Map<number, Map<string, RouteCandidate[]>>()
  for (const attachment of attachments) {
    const listener = (gateway.spec as { listeners: Array<{ port: number }> }).listeners[attachment.listenerIndex]!
    const hosts = byPort.get(listener.port) ?? new Map<string, RouteCandidate[]>()
    byPort.set(listener.port, hosts)
    const { candidates } = httpRoutes.of(attachment.route)
    for (const hostname of attachment.hostnames) {
      const list = hosts.get(hostname) ?? []
      for (const candidate of candidates) if (!list.includes(candidate)) list.push(candidate)
      hosts.set(hostname, list)
    }
  }
  const ports: CompiledGatewayPort[] = []
  const portNumbers = [...new Set(listeners.map((server) => server.port))].sort((a, b) => a - b)
  for (const port of portNumbers) {
    const portServers = listeners.filter((server) => server.port === port)
    const hosts = byPort.get(port) ?? new Map<string, RouteCandidate[]>()
    const entries: HostEntry[] = [...hosts].map(([host, candidates]) => {
      const sorted = sortByPrecedence(candidates).map((candidate) => candidate.route)
      return { host, ref: sorted[0]!.source, routes: sorted, requireTls: false }
    })
    const { table, hosts: hostNames } = buildGatewayTable(`${gateway.namespace}/${gateway.name}:${port}`, entries, false)
    const terminates = portServers.some((server) => server.protocol === 'HTTPS' && server.tls?.mode !== 'PASSTHROUGH')
    ports.push({ port, protocol: terminates ? 'HTTPS' : 'HTTP', servers: portServers, routes: table, hosts: hostNames })
  }
  return { ports, servers, status: status.map((entry) => withResolvedRefs(entry, httpRoutes)) }
}

function withResolvedRefs(entry: RouteParentStatus, httpRoutes: HttpRoutes): RouteParentStatus {
  const route = httpRoutes.routes.find((resource) => resource.namespace === entry.route.namespace && resource.name === entry.route.name)
  const unresolved = route === undefined ? [] : httpRoutes.of(route).unresolved
  if (unresolved.length === 0) return entry
  return { ...entry, resolvedRefs: { resolved: false, reason: unresolved[0]!.reason, message: unresolved.map((ref) => ref.message).join('; ') } }
}

/** One host of the mesh's table built from HTTPRoutes whose parent is a Service. */
export interface GammaEntry {
  readonly host: string
  /** The oldest route for the host: where the entry sits among VirtualServices (the oldest wins). */
  readonly oldest: RawResource
  readonly match: HostMatch
}

/**
 * GAMMA: an HTTPRoute whose parentRef is a Service applies to the mesh's calls to that Service
 * (`name.namespace.svc.<domain>`), as Istio applies it to sidecars; a parentRef `port` keeps its
 * matches to calls to that port. Every route for one Service is merged in the API's precedence
 * order. Hostnames do not apply to a Service parent.
 */
export function gammaEntries(httpRoutes: HttpRoutes, identity: MeshIdentity): GammaEntry[] {
  const byHost = new Map<string, { oldest: RawResource; candidates: RouteCandidate[] }>()
  for (const route of httpRoutes.routes) {
    for (const ref of (route.spec as HTTPRouteSpec).parentRefs ?? []) {
      if (!ref || !namesService(ref) || !ref.name) continue
      const host = `${ref.name}.${ref.namespace || route.namespace}.svc.${identity.domain}`.toLowerCase()
      const entry = byHost.get(host) ?? { oldest: route, candidates: [] }
      byHost.set(host, entry)
      for (const candidate of httpRoutes.of(route).candidates) {
        entry.candidates.push(ref.port === undefined ? candidate : { ...candidate, route: withPort(candidate.route, ref.port) })
      }
    }
  }
  return [...byHost].map(([host, { oldest, candidates }]) => {
    const routes = sortByPrecedence(candidates).map((candidate) => candidate.route)
    return { host, oldest, match: { host, virtualService: { ref: refOf(oldest), hosts: [host], routes } } }
  })
}

function withPort(route: CompiledRoute, port: number): CompiledRoute {
  return { ...route, matches: route.matches?.map((match) => ({ ...match, port })) }
}
