import { isLimited } from '@meshlet/core'
import type { CompiledConnectionPool } from '@meshlet/rules'

/** The undici Pool options a connection pool policy maps to (a subset of undici's Pool.Options). */
export interface UndiciPoolOptions {
  /** Connections per origin; undefined = unlimited. */
  readonly connections: number | undefined
  /** Requests in flight per connection: 1, as Envoy does not pipeline HTTP/1. */
  readonly pipelining: number
  readonly connect: { readonly timeout: number }
  /** Idle time before a kept-alive connection is closed. */
  readonly keepAliveTimeout: number
  /** Upper bound for a server's Keep-Alive hint. */
  readonly keepAliveMaxTimeout: number
  /** Requests per connection before it is replaced; undefined = unlimited. */
  readonly maxRequestsPerClient: number | undefined
  /** Age after which a connection is retired; undefined = never. */
  readonly clientTtl: number | undefined
}

/** The longest timer Node accepts (about 24.8 days); used where Istio means "no idle timeout". */
const NEVER_MS = 2_147_483_647

/** Istio's default upstream idle timeout (destination_rule.proto HTTPSettings.idle_timeout: 1 h). */
const DEFAULT_IDLE_TIMEOUT_MS = 3_600_000

/**
 * Maps a DestinationRule connectionPool to undici Pool options for one endpoint:
 * - `tcp.maxConnections` → `connections` (per endpoint; the cluster-wide cap is the pool layer's);
 * - `tcp.connectTimeout` → `connect.timeout`;
 * - `http.idleTimeout`, else `tcp.idleTimeout` (`0s` = never) → `keepAliveTimeout`, also capping the
 *   server's Keep-Alive hint — Istio uses the TCP value when the HTTP one is unset
 *   (cluster_traffic_policy.go applyConnectionPool); an HTTP value equal to the 1 h default is
 *   taken as unset, since compiled policy cannot tell;
 * - `http.maxRequestsPerConnection` → `maxRequestsPerClient` (0 = unlimited; 1 = no reuse);
 * - `tcp.maxConnectionDuration` → `clientTtl`.
 * undici's own headersTimeout/bodyTimeout (300 s) are left alone: they match the 5-minute
 * stream idle timeout Envoy applies by default (HttpConnectionManager stream_idle_timeout).
 */
export function toUndiciPoolOptions(pool: CompiledConnectionPool): UndiciPoolOptions {
  const idleMs = idleTimeoutMs(pool)
  return {
    connections: isLimited(pool.maxConnections) ? pool.maxConnections : undefined,
    pipelining: 1,
    connect: { timeout: pool.connectTimeoutMs },
    keepAliveTimeout: idleMs,
    keepAliveMaxTimeout: idleMs,
    maxRequestsPerClient: pool.maxRequestsPerConnection > 0 ? pool.maxRequestsPerConnection : undefined,
    clientTtl: pool.maxConnectionDurationMs !== undefined && pool.maxConnectionDurationMs > 0 ? pool.maxConnectionDurationMs : undefined,
  }
}

function idleTimeoutMs(pool: CompiledConnectionPool): number {
  // http.idleTimeout, else tcp.idleTimeout (where `0s` disables it), else Istio's 1 h default.
  const chosen = pool.httpIdleTimeoutMs ?? pool.tcpIdleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
  return chosen > 0 ? Math.min(chosen, NEVER_MS) : NEVER_MS
}
