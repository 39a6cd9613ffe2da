import type { RawResource } from '../../source/resource.js'
import type { VirtualServiceSpec } from '../../spec/virtual-service.js'
import type { CompiledDestinationRule, CompiledGatewayPort, CompiledGatewayServer, CompiledRoute, CompiledServiceEntry, MeshIdentity } from '../snapshot.js'
import { resolveShortName } from '../hosts/fqdn.js'
import type { HostIndex } from '../hosts/host-index.js'
import { compareByAge, refOf } from '../order.js'
import { isExportedTo } from '../visibility.js'
import { balancesByConsistentHash, compileRoutes } from '../virtual-service/index.js'
import { indexDelegates } from '../virtual-service/delegates.js'
import type { GatewayRouteScope } from './binding.js'
import { bindsToGateway } from './binding.js'
import { serverHostFor } from './istio-gateway.js'
import type { HostEntry } from './route-table.js'
import { buildGatewayTable } from './route-table.js'

/** TLS modes in which the gateway itself terminates TLS (the others pass it through). */
const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_MUTUAL'])
/** Server protocols whose requests the gateway routes as HTTP. */
export const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB'])

export interface GatewayTablesInput {
  readonly resources: readonly RawResource[]
  readonly servers: readonly CompiledGatewayServer[]
  /** `namespace/name` of each Gateway resource implemented. */
  readonly gatewayNames: ReadonlySet<string>
  /** Namespace of the gateway (`.` in server hosts; exportTo of VirtualServices). */
  readonly namespace: string
  readonly identity: MeshIdentity
  readonly destinationRules: HostIndex<CompiledDestinationRule>
  readonly serviceEntries: HostIndex<CompiledServiceEntry>
}

/**
 * One route table per server port of Istio Gateways: for each VirtualService bound to the gateway
 * and exported to its namespace (oldest first), each of its hosts that a server host on the port
 * admits becomes a virtual host (the more specific of the two names); the routes of every
 * VirtualService for the same host are merged in that order (reference §1: several VirtualServices
 * for one host merge at a gateway), and a server with `httpsRedirect` marks its hosts.
 */
export function istioGatewayPorts(input: GatewayTablesInput, gatewayName: string): CompiledGatewayPort[] {
  const byPort = new Map<number, CompiledGatewayServer[]>()
  for (const server of input.servers) {
    if (!HTTP_PROTOCOLS.has(server.protocol)) continue
    const list = byPort.get(server.port) ?? []
    list.push(server)
    byPort.set(server.port, list)
  }
  const all = input.resources.filter((resource) => resource.kind === 'VirtualService' && resource.spec)
  const delegates = indexDelegates(all)
  const bound = all
    .filter((resource) => ((resource.spec as VirtualServiceSpec).hosts ?? []).length > 0)
    .filter((resource) => isExportedTo((resource.spec as VirtualServiceSpec).exportTo, resource.namespace, input.namespace))
    .sort(compareByAge)
  const ports: CompiledGatewayPort[] = []
  for (const [port, servers] of [...byPort].sort((a, b) => a[0] - b[0])) {
    const scope: GatewayRouteScope = { gateways: input.gatewayNames, port, labels: input.identity.labels, namespace: input.identity.namespace }
    const entries = new Map<string, HostEntry>()
    for (const resource of bound) {
      const spec = resource.spec as VirtualServiceSpec
      if (!bindsToGateway(spec.gateways, resource.namespace, scope) && !anyMatchNamesGateway(spec, resource.namespace, scope)) continue
      const routes = withServicePorts(compileRoutes(resource, delegates, input.identity, balancesByConsistentHash(input.destinationRules), scope), input.serviceEntries)
      if (routes.length === 0) continue
      for (const written of spec.hosts ?? []) {
        const vsHost = resolveShortName(written, resource.namespace, input.identity.domain)
        for (const server of servers) {
          for (const serverHost of server.hosts) {
            const host = serverHostFor(vsHost, resource.namespace, serverHost, input.namespace)
            if (host === undefined) continue
            let entry = entries.get(host)
            if (entry === undefined) {
              entry = { host, ref: refOf(resource), routes: [], requireTls: false }
              entries.set(host, entry)
            }
            if (!entry.routes.includes(routes[0]!)) entry.routes.push(...routes)
            if (server.httpsRedirect && server.tls === undefined) entry.requireTls = true
          }
        }
      }
    }
    const { table, hosts } = buildGatewayTable(`${gatewayName}:${port}`, entries.values(), true)
    const terminates = servers.some((server) => server.tls !== undefined && TERMINATING.has(server.tls.mode))
    ports.push({ port, protocol: terminates ? 'HTTPS' : 'HTTP', servers, routes: table, hosts })
  }
  return ports
}

function anyMatchNamesGateway(spec: VirtualServiceSpec, namespace: string, scope: GatewayRouteScope): boolean {
  return (spec.http ?? []).some((route) => (route?.match ?? []).some((match) => match?.gateways !== undefined && bindsToGateway(match.gateways, namespace, scope)))
}

/**
 * A destination without a port goes to the service's only port, as Istio requires at a gateway
 * (the request's own port, 80 or 443, is the gateway's, not the service's).
 */
function withServicePorts(routes: CompiledRoute[], serviceEntries: HostIndex<CompiledServiceEntry>): CompiledRoute[] {
  return routes.map((route) => {
    if (route.action.kind !== 'route') return route
    let changed = false
    const destinations = route.action.destinations.map((destination) => {
      if (destination.port !== undefined) return destination
      const ports = serviceEntries.lookup(destination.host)?.value.ports ?? []
      if (ports.length !== 1) return destination
      changed = true
      return { ...destination, port: ports[0]!.number }
    })
    return changed ? { ...route, action: { ...route.action, destinations } } : route
  })
}
