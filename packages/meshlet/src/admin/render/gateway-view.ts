import type { CompiledGateway, CompiledMatch, CompiledRoute, RouteParentStatus } from '@meshlet/rules'

/** The gateway as the admin server shows it at /gateway and on the page: ports, hosts, routes, status, counters. */
export interface GatewayView {
  readonly name: string
  /** `Gateway` (Istio) or `Gateway.gateway.networking.k8s.io`. */
  readonly kind: string
  readonly sources: readonly string[]
  readonly ports: ReadonlyArray<{
    readonly port: number
    readonly protocol: 'HTTP' | 'HTTPS'
    readonly servers: ReadonlyArray<{ readonly name: string | undefined; readonly hosts: readonly string[]; readonly tls: string | undefined; readonly httpsRedirect: boolean; readonly source: string }>
    readonly hosts: ReadonlyArray<{ readonly host: string; readonly httpsRedirect: boolean; readonly routes: readonly GatewayRouteView[] }>
  }>
  /** Gateway API: every parentRef naming this gateway, attached or not, with the API's reasons. */
  readonly routeStatus: readonly RouteStatusView[]
  /** The inbound counters (requests by status class, DC, 431, 413, 404 no route). */
  readonly stats: Readonly<Record<string, number>>
}

export interface GatewayRouteView {
  readonly source: string
  readonly name: string | undefined
  readonly match: string
  readonly action: string
}

export interface RouteStatusView {
  readonly route: string
  readonly parentRef: number
  readonly parent: string
  readonly accepted: boolean
  readonly reason: string
  readonly message: string
  readonly resolvedRefs: string
}

export function gatewayView(gateway: CompiledGateway, stats: Readonly<Record<string, number>>): GatewayView {
  return {
    name: gateway.name,
    kind: gateway.kind === 'KubernetesGateway' ? 'Gateway.gateway.networking.k8s.io' : 'Gateway',
    sources: gateway.sources.map((source) => `${source.namespace}/${source.name} (${source.position.file}:${source.position.line})`),
    ports: gateway.ports.map((port) => ({
      port: port.port,
      protocol: port.protocol,
      servers: port.servers.map((server) => ({
        name: server.name,
        hosts: server.hosts,
        tls: server.tls === undefined ? undefined : `${server.tls.mode}${server.tls.serverCertificate ? ` ${server.tls.serverCertificate}` : server.tls.credentialName ? ` Secret ${server.tls.credentialName} (not readable)` : ''}`,
        httpsRedirect: server.httpsRedirect,
        source: `${server.source.namespace}/${server.source.name} ${server.path.join('.')}`,
      })),
      hosts: port.hosts.map((host) => {
        const entry = port.routes.lookup(host)
        return { host, httpsRedirect: entry?.requireTls === true, routes: (entry?.virtualService.routes ?? []).map(routeView) }
      }),
    })),
    routeStatus: gateway.routeStatus.map(statusView),
    stats,
  }
}

function routeView(route: CompiledRoute): GatewayRouteView {
  const action = route.action
  const describe =
    action.kind === 'route'
      ? action.destinations.map((d) => `${d.unresolved ? `500 (${d.host}: unresolved)` : `${d.host}${d.port ? `:${d.port}` : ''}${d.subset ? ` ${d.subset}` : ''}`}${action.destinations.length > 1 ? ` ${Math.round((d.weight / action.totalWeight) * 1000) / 10}%` : ''}`).join(', ')
      : action.kind === 'redirect'
        ? `redirect ${action.status}`
        : action.kind === 'directResponse'
          ? `direct response ${action.status}`
          : 'no action (404)'
  return {
    source: `${route.source.kind} ${route.source.namespace}/${route.source.name}`,
    name: route.name,
    match: route.matches === undefined ? 'any request' : route.matches.map(matchText).join(' | '),
    action: describe,
  }
}

function matchText(match: CompiledMatch): string {
  const parts: string[] = []
  if (match.uri) parts.push(`path ${match.uri.kind} ${match.uri.value}`)
  if (match.method) parts.push(`method ${match.method.value}`)
  for (const header of match.headers) parts.push(`header ${header.name} ${header.match.kind}${header.match.value ? ` ${header.match.value}` : ''}`)
  for (const param of match.queryParams) parts.push(`query ${param.name} ${param.match.kind} ${param.match.value}`)
  return parts.length === 0 ? 'any request' : parts.join(', ')
}

function statusView(status: RouteParentStatus): RouteStatusView {
  return {
    route: `${status.route.namespace}/${status.route.name}`,
    parentRef: status.parentRefIndex,
    parent: status.parent,
    accepted: status.accepted,
    reason: status.reason,
    message: status.message,
    resolvedRefs: status.resolvedRefs.resolved ? 'ResolvedRefs' : `${status.resolvedRefs.reason}: ${status.resolvedRefs.message}`,
  }
}
