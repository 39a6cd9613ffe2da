import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROMETHEUS_CONTENT_TYPE, formatPrometheus } from '@meshlet/otel'
import type { AdminSources } from './contract.js'
import { resolveAdminOptions } from './options.js'
import type { AdminOptions } from './options.js'
import { loadPageAssets } from './page-assets.js'
import type { PageAssets } from './page-assets.js'
import { formatClustersText } from './render/clusters-text.js'
import { configDump, configDumpJson } from './render/config-dump.js'
import { pageState } from './render/page-state.js'

export interface AdminServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** Stops listening, closes open connections and the sources' subscriptions. Idempotent. */
  close(): Promise<void>
}

/** The endpoints, listed on a 404 as Envoy's admin lists its commands. */
export const ADMIN_ENDPOINTS = {
  '/': 'the admin page: routes with configured and observed splits, clusters, recent events (live)',
  '/stats/prometheus': "Istio's request metrics and per-cluster stats, Prometheus text format 0.0.4",
  '/clusters': 'clusters and their endpoints: health, ejection time left, active requests, load cost, locality, weight (?format=json)',
  '/config_dump': 'the rules in force, as read and as compiled, with where each came from (JSON)',
  '/ready': '200 LIVE while the mesh takes calls, 503 DRAINING once it is closing',
  '/gateway': 'a gateway (createGateway): its ports, servers, hosts and routes, the Gateway API route status and the inbound counters (JSON)',
} as const

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const
// The page loads its own script and style only: nothing from elsewhere, nothing inline.
const PAGE_HEADERS = { ...COMMON_HEADERS, 'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'" } as const

/**
 * Starts an admin server over `sources`, like Envoy's admin interface, on 127.0.0.1 unless told
 * otherwise (another address needs `allowNonLoopback: true`, else MESHLET_ERR_ADMIN_BIND_REFUSED).
 */
export async function listenAdmin(sources: AdminSources, options: AdminOptions = {}): Promise<AdminServer> {
  const resolved = resolveAdminOptions(options)
  const assets = await loadPageAssets()
  const server = createServer((request, response) => {
    try {
      handle(request, response, sources, assets, resolved.pageRefreshMs)
    } catch (error) {
      send(response, 500, 'text/plain; charset=utf-8', `admin: ${error instanceof Error ? error.message : String(error)}\n`)
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const stopSources = sources.open?.()
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        stopSources?.()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}

function handle(request: IncomingMessage, response: ServerResponse, sources: AdminSources, assets: PageAssets, refreshMs: number): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD')
    return send(response, 405, 'text/plain; charset=utf-8', 'admin: only GET and HEAD\n')
  }
  const url = new URL(request.url ?? '/', 'http://admin')
  switch (url.pathname) {
    case '/':
      return send(response, 200, 'text/html; charset=utf-8', assets.html.replace('data-refresh-ms="1000"', `data-refresh-ms="${refreshMs}"`), PAGE_HEADERS)
    case '/ui/admin.css':
      return send(response, 200, 'text/css; charset=utf-8', assets.css)
    case '/ui/admin.js':
      return send(response, 200, 'text/javascript; charset=utf-8', assets.script)
    case '/ui/state.json':
      return send(response, 200, 'application/json', JSON.stringify(pageState(sources, refreshMs)))
    case '/stats/prometheus':
      return send(response, 200, PROMETHEUS_CONTENT_TYPE, formatPrometheus(sources.metrics.families()))
    case '/clusters': {
      const views = sources.clusters()
      return url.searchParams.get('format') === 'json'
        ? send(response, 200, 'application/json', JSON.stringify({ clusters: views }, undefined, 2))
        : send(response, 200, 'text/plain; charset=utf-8', formatClustersText(views))
    }
    case '/config_dump':
      return send(response, 200, 'application/json', configDumpJson(configDump(sources.snapshot())))
    case '/gateway': {
      const view = sources.gateway?.()
      return view === undefined ? send(response, 404, 'text/plain; charset=utf-8', 'admin: this mesh is not a gateway (createGateway)\n') : send(response, 200, 'application/json', JSON.stringify(view, undefined, 2))
    }
    case '/ready':
      return sources.ready() ? send(response, 200, 'text/plain; charset=utf-8', 'LIVE\n') : send(response, 503, 'text/plain; charset=utf-8', 'DRAINING\n')
    default: {
      const list = Object.entries(ADMIN_ENDPOINTS).map(([path, what]) => `  ${path}: ${what}`).join('\n')
      return send(response, 404, 'text/plain; charset=utf-8', `admin: no such endpoint ${url.pathname}; the admin server serves:\n${list}\n`)
    }
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headers: Readonly<Record<string, string>> = COMMON_HEADERS): void {
  response.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body) })
  response.end(response.req.method === 'HEAD' ? undefined : body)
}
