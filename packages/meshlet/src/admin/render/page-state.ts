import type { MeshMetrics } from '@meshlet/otel'
import type { CompiledMatch, CompiledRoute, MeshSnapshot, StringMatcher } from '@meshlet/rules'
import type { AdminEvent, AdminSources, ClusterView } from '../contract.js'
import type { GatewayView } from './gateway-view.js'

/** One weighted destination of a route: the share the rule gives it and the share it got. */
export interface DestinationSplit {
  readonly host: string
  readonly subset: string | undefined
  readonly port: number | undefined
  /** The `version` label the subset selects, which is how Istio's metrics name the destination. */
  readonly version: string | undefined
  readonly configuredPercent: number
  /** Share of the calls counted for this route's destinations; undefined before any call. */
  readonly observedPercent: number | undefined
  readonly observedCalls: number
}

export interface RouteView {
  readonly index: number
  readonly name: string | undefined
  /** The match entries in a line each (`uri prefix /api, header end-user exact jason`), or `any request`. */
  readonly match: readonly string[]
  readonly action: 'route' | 'redirect' | 'directResponse' | 'none'
  readonly destinations: readonly DestinationSplit[]
  readonly timeoutMs: number | undefined
  readonly retryAttempts: number
  readonly fault: string | undefined
}

export interface VirtualServiceView {
  readonly name: string
  readonly hosts: readonly string[]
  /** `file:line` it was read from. */
  readonly source: string
  readonly routes: readonly RouteView[]
}

/** All the calls counted for one destination service, by destination version. */
export interface ServiceTraffic {
  readonly service: string
  readonly calls: number
  /** Calls answered 5xx, or with no response (code 0). */
  readonly errors: number
  readonly versions: ReadonlyArray<{ readonly version: string; readonly calls: number; readonly percent: number }>
}

/** What the admin page shows, in one JSON document it polls. */
export interface PageState {
  readonly nowMs: number
  readonly generation: number
  readonly ready: boolean
  readonly refreshMs: number
  readonly totalCalls: number
  readonly virtualServices: readonly VirtualServiceView[]
  readonly services: readonly ServiceTraffic[]
  readonly clusters: readonly ClusterView[]
  /** Newest first. */
  readonly events: readonly AdminEvent[]
  /** The gateway, when this is a gateway's admin server. */
  readonly gateway: GatewayView | null
}

const EVENTS_ON_PAGE = 50

export function pageState(sources: AdminSources, refreshMs: number): PageState {
  const snapshot = sources.snapshot()
  const observed = observedCalls(sources.metrics)
  return {
    nowMs: sources.nowMs(),
    generation: snapshot.generation,
    ready: sources.ready(),
    refreshMs,
    totalCalls: [...observed.values()].reduce((sum, service) => sum + service.calls, 0),
    virtualServices: snapshot.virtualServices.map((service) => ({
      name: `${service.ref.namespace}/${service.ref.name}`,
      hosts: service.hosts,
      source: `${service.ref.position.file}:${service.ref.position.line}`,
      routes: service.routes.map((route) => routeView(snapshot, route, observed)),
    })),
    services: [...observed.values()].sort((a, b) => (a.service < b.service ? -1 : 1)),
    clusters: sources.clusters(),
    events: sources.recentEvents().slice(-EVENTS_ON_PAGE).reverse(),
    gateway: sources.gateway?.() ?? null,
  }
}

/** Calls per destination service and version, from istio_requests_total. */
function observedCalls(metrics: MeshMetrics): Map<string, ServiceTraffic> {
  const byService = new Map<string, { calls: number; errors: number; versions: Map<string, number> }>()
  for (const series of metrics.requests.series()) {
    const service = series.label('destination_service')
    if (service === undefined) continue
    const version = series.label('destination_version') ?? 'unknown'
    const code = Number(series.label('response_code') ?? '0')
    let entry = byService.get(service)
    if (entry === undefined) byService.set(service, (entry = { calls: 0, errors: 0, versions: new Map() }))
    entry.calls += series.count
    if (code === 0 || code >= 500) entry.errors += series.count
    entry.versions.set(version, (entry.versions.get(version) ?? 0) + series.count)
  }
  const traffic = new Map<string, ServiceTraffic>()
  for (const [service, entry] of byService) {
    const versions = [...entry.versions]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([version, calls]) => ({ version, calls, percent: percent(calls, entry.calls) }))
    traffic.set(service, { service, calls: entry.calls, errors: entry.errors, versions })
  }
  return traffic
}

function routeView(snapshot: MeshSnapshot, route: CompiledRoute, observed: Map<string, ServiceTraffic>): RouteView {
  const action = route.action
  const common = {
    index: route.index,
    name: route.name,
    match: route.matches === undefined ? ['any request'] : route.matches.map(describeMatch),
    timeoutMs: route.timeoutMs,
    retryAttempts: route.retries.attempts,
    fault: describeFault(route),
  }
  if (action.kind !== 'route') return { ...common, action: action.kind, destinations: [] }
  const rows = action.destinations.map((destination) => {
    const subsetLabels = destination.subset === undefined ? undefined : snapshot.lookupDestinationRule(destination.host)?.subsets.find((subset) => subset.name === destination.subset)?.labels
    const version = subsetLabels?.version
    const service = observed.get(destination.host)
    const calls = service === undefined ? 0 : version === undefined ? service.calls : (service.versions.find((entry) => entry.version === version)?.calls ?? 0)
    return { destination, version, calls }
  })
  const observedTotal = rows.reduce((sum, row) => sum + row.calls, 0)
  return {
    ...common,
    action: 'route',
    destinations: rows.map(({ destination, version, calls }) => ({
      host: destination.host,
      subset: destination.subset,
      port: destination.port,
      version,
      configuredPercent: action.destinations.length === 1 ? 100 : percent(destination.weight, action.totalWeight),
      observedPercent: observedTotal === 0 ? undefined : percent(calls, observedTotal),
      observedCalls: calls,
    })),
  }
}

function describeMatch(match: CompiledMatch): string {
  const parts: string[] = []
  const add = (what: string, matcher: StringMatcher | undefined) => {
    if (matcher !== undefined) parts.push(`${what} ${matcher.kind}${matcher.kind === 'present' ? '' : ` ${matcher.value}`}`)
  }
  add('uri', match.uri)
  add('method', match.method)
  add('authority', match.authority)
  add('scheme', match.scheme)
  for (const header of match.headers) add(`${header.invert ? 'without header' : 'header'} ${header.name}`, header.match)
  for (const query of match.queryParams) add(`query ${query.name}`, query.match)
  if (match.port !== undefined) parts.push(`port ${match.port}`)
  return parts.length === 0 ? 'any request' : parts.join(', ')
}

function describeFault(route: CompiledRoute): string | undefined {
  const fault = route.fault
  if (fault === undefined) return undefined
  const parts: string[] = []
  if (fault.delay !== undefined) parts.push(`delay ${fault.delay.fixedDelayMs} ms to ${fault.delay.percentage}%`)
  if (fault.abort !== undefined) parts.push(`abort ${fault.abort.httpStatus ?? fault.abort.grpcStatus} to ${fault.abort.percentage}%`)
  return parts.join(', ')
}

/** A share in percent with one decimal. */
function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1_000) / 10
}
