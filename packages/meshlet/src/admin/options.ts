import { isIP } from 'node:net'
import { MeshError } from '@meshlet/core'

export interface AdminOptions {
  /** TCP port; 0 picks a free one (the returned `url` tells which). Default 15000, Envoy's admin port in Istio. */
  readonly port?: number | undefined
  /** Address to listen on. Default 127.0.0.1; anything but loopback needs `allowNonLoopback`. */
  readonly host?: string | undefined
  /** Allow a host other than loopback. The admin server has no authentication: only on a network you trust. */
  readonly allowNonLoopback?: boolean | undefined
  /** How often the page asks for fresh data, in ms. */
  readonly pageRefreshMs?: number | undefined
}

/**
 * Defaults of the admin server. Istio's sidecar serves Envoy's admin interface on 127.0.0.1:15000
 * (istio pilot-agent, `proxyAdminPort`), reachable with `kubectl port-forward` and from nowhere
 * else; meshlet keeps the port and the loopback-only binding.
 */
export const DEFAULT_ADMIN_OPTIONS = {
  port: 15_000,
  host: '127.0.0.1',
  pageRefreshMs: 1_000,
  /** Events kept for the page. */
  recentEvents: 200,
} as const

export interface ResolvedAdminOptions {
  readonly port: number
  readonly host: string
  readonly pageRefreshMs: number
}

/** Checks the options; a host beyond loopback without `allowNonLoopback` throws MESHLET_ERR_ADMIN_BIND_REFUSED. */
export function resolveAdminOptions(options: AdminOptions = {}): ResolvedAdminOptions {
  const port = options.port ?? DEFAULT_ADMIN_OPTIONS.port
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw invalid('port', 'an integer 0..65535 (0 picks a free port)')
  const host = options.host ?? DEFAULT_ADMIN_OPTIONS.host
  if (typeof host !== 'string' || host === '') throw invalid('host', 'a non-empty address such as 127.0.0.1')
  const pageRefreshMs = options.pageRefreshMs ?? DEFAULT_ADMIN_OPTIONS.pageRefreshMs
  if (!(typeof pageRefreshMs === 'number' && pageRefreshMs >= 100)) throw invalid('pageRefreshMs', 'a number of milliseconds ≥ 100')
  if (!isLoopback(host) && options.allowNonLoopback !== true) {
    throw new MeshError(
      'MESHLET_ERR_ADMIN_BIND_REFUSED',
      `listenAdmin: host ${host} is not a loopback address. The admin server has no authentication and shows rules and endpoint addresses; ` +
        'keep the default 127.0.0.1 (reach it with kubectl port-forward or an SSH tunnel), or pass allowNonLoopback: true on a network you trust.',
    )
  }
  return { port, host, pageRefreshMs }
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x) and `localhost`. */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (bare.toLowerCase() === 'localhost') return true
  const family = isIP(bare)
  if (family === 4) return bare.startsWith('127.')
  if (family === 6) {
    const lower = bare.toLowerCase()
    return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || (lower.startsWith('::ffff:') && lower.slice(7).startsWith('127.'))
  }
  return false
}

function invalid(option: string, expected: string): MeshError {
  return new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `listenAdmin: option ${option} must be ${expected}`)
}
