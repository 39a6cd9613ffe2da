import { readFileSync } from 'node:fs'
import { Pool } from 'undici'

/**
 * Connection settings for a pool, from the DestinationRule (connectionPool, tls) or defaults.
 * `key` below folds them in, so two clusters with different settings never share connections.
 */
export interface PoolSettings {
  readonly connectTimeoutMs: number
  /** How long an idle keep-alive connection is kept (a server's shorter Keep-Alive hint wins). */
  readonly idleTimeoutMs: number
  /** 0 = unlimited; 1 = a new connection per request. */
  readonly maxRequestsPerConnection: number
  /** Connections to one endpoint at most; undefined = no limit. */
  readonly maxConnections: number | undefined
  /** Retire a connection older than this when it is next idle; undefined = never. */
  readonly maxConnectionAgeMs: number | undefined
  readonly tls: PoolTls | undefined
}

export interface PoolTls {
  readonly servername: string | undefined
  readonly rejectUnauthorized: boolean
  readonly caFile: string | undefined
  readonly certFile: string | undefined
  readonly keyFile: string | undefined
}

/**
 * Defaults when no DestinationRule says otherwise: Istio's mesh connectTimeout of 10 s
 * (istio pkg/config/mesh/mesh.go) and the 1 h upstream idle timeout of connectionPool.http
 * (destination_rule.proto "idleTimeout ... Default 1 hour").
 */
export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 3_600_000,
  maxRequestsPerConnection: 0,
  maxConnections: undefined,
  maxConnectionAgeMs: undefined,
  tls: undefined,
}

/**
 * Keep-alive undici pools, one per endpoint origin and settings. Pools live until the mesh
 * closes; `close()` lets requests in flight finish, `destroy()` cuts them.
 */
export class PoolRegistry {
  /** settings key → origin → pool; settings objects are compiled once, so their key is cached. */
  private readonly pools = new Map<string, Map<string, Pool>>()
  private readonly keys = new WeakMap<PoolSettings, string>()
  private closed = false

  /** The pool for `origin` (`http://10.0.0.1:9080`, or `unix:/path|http` for a unix socket) with these settings, created on first use. */
  get(origin: string, settings: PoolSettings): Pool {
    let key = this.keys.get(settings)
    if (key === undefined) {
      key = settingsKey(settings)
      this.keys.set(settings, key)
    }
    let byOrigin = this.pools.get(key)
    if (byOrigin === undefined) {
      byOrigin = new Map()
      this.pools.set(key, byOrigin)
    }
    let pool = byOrigin.get(origin)
    if (pool === undefined) {
      pool = this.create(origin, settings)
      byOrigin.set(origin, pool)
    }
    return pool
  }

  /**
   * Closes the pools of endpoints at these addresses (any port, any settings), letting their
   * requests in flight finish: discovery removed the endpoints, as Envoy drains the connection
   * pools of a host that leaves its cluster. A later call to one of them opens a new pool.
   */
  retire(addresses: ReadonlySet<string>): void {
    if (addresses.size === 0) return
    for (const byOrigin of this.pools.values()) {
      for (const [origin, pool] of byOrigin) {
        if (!addresses.has(addressOfOrigin(origin))) continue
        byOrigin.delete(origin)
        pool.close().catch(() => undefined)
      }
    }
  }

  /** Number of pools open. */
  get size(): number {
    let count = 0
    for (const byOrigin of this.pools.values()) count += byOrigin.size
    return count
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Stops taking requests and resolves when every request in flight has finished. */
  async close(): Promise<void> {
    await Promise.all(this.takeAll().map((pool) => pool.close().catch(() => undefined)))
  }

  /** Cuts every connection now; requests in flight fail. */
  async destroy(): Promise<void> {
    await Promise.all(this.takeAll().map((pool) => pool.destroy().catch(() => undefined)))
  }

  private takeAll(): Pool[] {
    this.closed = true
    const all = [...this.pools.values()].flatMap((byOrigin) => [...byOrigin.values()])
    this.pools.clear()
    return all
  }

  private create(origin: string, settings: PoolSettings): Pool {
    const tls = settings.tls
    const unix = origin.startsWith('unix:') ? unixOrigin(origin) : undefined
    return new Pool(unix?.origin ?? origin, {
      ...(unix && { socketPath: unix.socketPath }),
      connect: {
        timeout: settings.connectTimeoutMs,
        ...(tls && {
          servername: tls.servername,
          rejectUnauthorized: tls.rejectUnauthorized,
          ca: tls.caFile === undefined ? undefined : readFileSync(tls.caFile),
          cert: tls.certFile === undefined ? undefined : readFileSync(tls.certFile),
          key: tls.keyFile === undefined ? undefined : readFileSync(tls.keyFile),
        }),
      },
      // Envoy closes an upstream connection idle for idleTimeout (1 h by default); a server that
      // announces a shorter Keep-Alive timeout (Node servers say 5 s) is believed, as undici does.
      keepAliveTimeout: settings.idleTimeoutMs,
      keepAliveMaxTimeout: settings.idleTimeoutMs,
      // Envoy counts maxConnections across the cluster; undici can only cap each endpoint's pool.
      connections: settings.maxConnections ?? null,
      ...(settings.maxConnectionAgeMs !== undefined && { clientTtl: settings.maxConnectionAgeMs }),
      // undici closes a connection after the request that follows the first `maxRequestsPerClient`
      // ones (client-h1.js), so N requests per connection is N - 1 here; N = 1 is done per request
      // with `reset` in the transport.
      ...(settings.maxRequestsPerConnection > 1 && { maxRequestsPerClient: settings.maxRequestsPerConnection - 1 }),
    })
  }
}

/** The text that tells two pool settings apart (connections are shared only between equal settings). */
export function settingsKey(settings: PoolSettings): string {
  const tls = settings.tls
  const tlsKey = tls ? `${tls.servername}|${tls.rejectUnauthorized}|${tls.caFile}|${tls.certFile}|${tls.keyFile}` : '-'
  return `${settings.connectTimeoutMs}|${settings.idleTimeoutMs}|${settings.maxRequestsPerConnection}|${settings.maxConnections}|${settings.maxConnectionAgeMs}|${tlsKey}`
}

/** `unix:/run/app.sock|https` → connect through that socket; the origin only carries the scheme (Host comes from the request). */
function unixOrigin(origin: string): { readonly origin: string; readonly socketPath: string } {
  const bar = origin.lastIndexOf('|')
  return { socketPath: origin.slice('unix:'.length, bar), origin: `${origin.slice(bar + 1)}://localhost` }
}

/** `http://10.0.0.1:9080` → `10.0.0.1`; `https://[::1]:443` → `::1`; a unix socket origin has no address (empty). */
export function addressOfOrigin(origin: string): string {
  if (origin.startsWith('unix:')) return ''
  const authority = origin.slice(origin.indexOf('//') + 2)
  const end = authority.lastIndexOf(':')
  const host = end < 0 ? authority : authority.slice(0, end)
  return host.startsWith('[') ? host.slice(1, -1) : host
}
