/**
 * Text output of `meshlet explain`: the decision explain() returned, one labelled line per
 * aspect, in the order the data plane applies them (route, rewrite, fault, timeout, retries,
 * mirrors, headers, traffic policy).
 */
import type { CompiledTrafficPolicy, RouteDecision } from '@meshlet/rules'
import type { CliRequest } from './request.js'
import { formatTable } from './format.js'
import type { Style } from './format.js'

export function formatDecision(request: CliRequest, d: RouteDecision, style: Style): string {
  const headerText = Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`).join(', ')
  const rows: string[][] = []
  const row = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') rows.push([style.dim(label), value])
  }
  row('host', d.host)
  if (d.routeTable !== 'mesh') row('gateway', `${d.routeTable} (the routes of the Gateway on this port)`)
  row('rule', ruleLine(d))
  if (d.reason !== null && d.action !== 'route') row('why', d.reason)
  row('action', actionLine(d, style))
  if (d.action === 'route') {
    if (d.destinations.length > 1) {
      const total = d.destinations.reduce((sum, x) => sum + x.weight, 0)
      d.destinations.forEach((x, i) => row(i === 0 ? 'destinations' : '', `${target(x)}  weight ${x.weight} (${((x.weight / total) * 100).toFixed(1)}%)`))
    }
    row('selected', d.selected ? target(d.selected) : undefined)
  }
  row('rewrite', d.rewrite ? rewriteLine(d.rewrite) : undefined)
  row('fault', d.fault ? faultLine(d.fault) : undefined)
  if (d.action === 'route') {
    row('timeout', d.timeoutMs == null ? 'none (Istio default: no route timeout)' : `${d.timeoutMs} ms for the whole call, retries included`)
    row('retries', d.retries ? retriesLine(d.retries) : undefined)
  }
  d.mirrors.forEach((m, i) => row(i === 0 ? 'mirrors' : '', `${target(m)}  ${m.percentage}% of requests (fire and forget)`))
  row('headers', headersLine(d.headers))
  row('cors', d.corsPolicy ? describeObject(d.corsPolicy) : undefined)
  if (d.trafficPolicy) policyLines(d.destinationRule, d.trafficPolicy as CompiledTrafficPolicy).forEach((line, i) => row(i === 0 ? 'policy' : '', line))
  return `${style.bold(`${request.method} ${request.url}`)}${headerText ? `  ${style.dim(headerText)}` : ''}\n${formatTable(rows, '  ')}\n`
}

function ruleLine(d: RouteDecision): string {
  if (d.virtualService === null) return d.action === 'passthrough' ? 'no rule knows this host' : d.routeTable !== 'mesh' ? 'no route of the gateway serves this host' : 'no VirtualService for this host'
  const kind = d.source?.startsWith('HTTPRoute ') ? 'HTTPRoute' : 'VirtualService'
  const list = kind === 'HTTPRoute' ? 'match' : 'route http'
  const route = d.route ? `${list}[${d.route.index}]${d.route.name ? ` "${d.route.name}"` : ''}${d.route.match && kind !== 'HTTPRoute' ? `, match "${d.route.match}"` : ''}` : 'no route matched'
  return `${kind} ${d.virtualService}, ${route}`
}

function actionLine(d: RouteDecision, style: Style): string {
  switch (d.action) {
    case 'route':
      return d.virtualService === null ? 'route to the host itself (Istio default route)' : 'route'
    case 'redirect':
      return d.redirect ? `redirect: answer ${d.redirect.status}, Location ${d.redirect.location}` : 'redirect'
    case 'directResponse':
      return d.directResponse ? `direct response: answer ${d.directResponse.status}${d.directResponse.body ? ` with ${JSON.stringify(d.directResponse.body)}` : ''}` : 'direct response'
    case 'noRoute':
      return style.yellow('no route: 404 (Envoy NR)')
    case 'passthrough':
      return 'pass through to the network unchanged (the mesh knows nothing of this host)'
    default:
      return String(d.action)
  }
}

function target(t: { host: string; subset?: string | null | undefined; port?: number | null | undefined }): string {
  return `${t.host}${t.port ? `:${t.port}` : ''}${t.subset ? ` subset ${t.subset}` : ''}`
}

function retriesLine(r: NonNullable<RouteDecision['retries']>): string {
  if (r.attempts === 0) return 'none (attempts: 0)'
  const codes = r.retriableStatusCodes.length > 0 ? ` (${r.retriableStatusCodes.join(', ')})` : ''
  const perTry = r.perTryTimeoutMs == null ? '' : `, each try ${r.perTryTimeoutMs} ms`
  return `up to ${r.attempts} on ${r.retryOn}${codes}${perTry}, backoff ${r.backoffMs} ms base${r.isDefault ? ' (Istio default policy)' : ''}`
}

function rewriteLine(r: NonNullable<RouteDecision['rewrite']>): string {
  const how = r.uri !== null ? `matched prefix replaced by ${JSON.stringify(r.uri)}` : r.uriRegexRewrite ? `${r.uriRegexRewrite.match} → ${r.uriRegexRewrite.rewrite}` : ''
  const parts = [`forwarded as ${r.path}${how ? ` (${how})` : ''}`]
  if (r.authority !== null) parts.push(`authority ${r.authority}`)
  return parts.join(', ')
}

function faultLine(f: NonNullable<RouteDecision['fault']>): string {
  const parts: string[] = []
  if (f.delay) parts.push(`delay ${f.delay.fixedDelayMs} ms for ${f.delay.percentage}% of requests`)
  if (f.abort) parts.push(`abort with ${f.abort.httpStatus ?? `gRPC ${f.abort.grpcStatus}`} for ${f.abort.percentage}% of requests`)
  return parts.join('; ')
}

function headersLine(h: RouteDecision['headers']): string | undefined {
  const parts: string[] = []
  for (const side of ['request', 'response'] as const) {
    const ops = h[side]
    for (const [k, v] of Object.entries(ops.set)) parts.push(`${side} set ${k}: ${v}`)
    for (const [k, v] of Object.entries(ops.add)) parts.push(`${side} add ${k}: ${v}`)
    for (const k of ops.remove) parts.push(`${side} remove ${k}`)
  }
  return parts.length === 0 ? undefined : parts.join('; ')
}

// Envoy's "no limit" for circuit-breaker thresholds (2^32-1), which Istio sets when a field is unset.
const UNLIMITED = 4294967295

/** The destination's traffic policy in a few lines: only what is set, not every default. */
function policyLines(destinationRule: string | null, p: CompiledTrafficPolicy): string[] {
  const lines = [destinationRule ? `DestinationRule ${destinationRule}` : 'no DestinationRule: Istio defaults']
  const lb = p.loadBalancer
  const hash = lb.consistentHash ? ` by ${lb.consistentHash.key.kind}${'name' in lb.consistentHash.key ? ` ${lb.consistentHash.key.name}` : ''}` : ''
  lines.push(`load balancer ${lb.algorithm}${hash}${lb.locality?.enabled ? ', locality-aware' : ''}${lb.warmup ? `, warmup ${lb.warmup.durationMs} ms` : ''}`)
  const pool = p.connectionPool
  const limits = [
    pool.maxConnections !== UNLIMITED ? `max ${pool.maxConnections} connections` : '',
    pool.http1MaxPendingRequests !== UNLIMITED ? `max ${pool.http1MaxPendingRequests} pending` : '',
    pool.http2MaxRequests !== UNLIMITED ? `max ${pool.http2MaxRequests} requests` : '',
    pool.maxRequestsPerConnection !== 0 ? `${pool.maxRequestsPerConnection} requests per connection` : '',
    pool.maxRetries !== UNLIMITED ? `max ${pool.maxRetries} concurrent retries` : '',
  ].filter((part) => part !== '')
  lines.push(`connection pool: connect timeout ${pool.connectTimeoutMs} ms${limits.length > 0 ? `, ${limits.join(', ')}` : ', no limits'}`)
  const od = p.outlierDetection
  if (od) {
    const triggers = [od.consecutive5xxErrors > 0 ? `${od.consecutive5xxErrors} consecutive 5xx` : '', od.consecutiveGatewayErrors > 0 ? `${od.consecutiveGatewayErrors} consecutive gateway errors` : ''].filter((t) => t !== '')
    lines.push(`outlier detection: eject after ${triggers.join(' or ') || 'no error count'}, for ${od.baseEjectionTimeMs} ms × ejections, at most ${od.maxEjectionPercent}% of endpoints`)
  }
  if (p.retryBudget) lines.push(`retry budget: ${p.retryBudget.percent}% of active requests, at least ${p.retryBudget.minRetryConcurrency}`)
  if (p.tls) lines.push(`tls: ${describeObject(p.tls)}`)
  const extensions = Object.keys(p.extensions)
  if (extensions.length > 0) lines.push(`meshlet.io extensions: ${extensions.join(', ')}`)
  return lines
}

/** A compact one-line JSON for the parts whose shape is open-ended (nulls left out). */
function describeObject(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === null ? undefined : v))
}
