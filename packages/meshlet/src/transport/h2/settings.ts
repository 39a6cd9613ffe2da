import { isLimited } from '@meshlet/core'
import type { MeshCallTarget } from '../../call-context.js'
import type { PoolSettings } from '../pools.js'

/** How the HTTP/2 connections to one endpoint behave, from the DestinationRule's connectionPool (and tls). */
export interface H2Settings {
  /** Connect timeout, idle timeout, connection age, TLS: the same as for HTTP/1 pools. */
  readonly pool: PoolSettings
  /** Streams at once on one connection (http.maxConcurrentStreams; the server's SETTINGS may lower it). */
  readonly maxConcurrentStreams: number
  /** Connections to one endpoint at most (tcp.maxConnections); more streams wait for room. */
  readonly maxConnections: number
  /** Streams allowed to wait for room (http.http1MaxPendingRequests, which Envoy applies to HTTP/2 too). */
  readonly maxPending: number
  /** Streams a connection carries in its life before it is retired (http.maxRequestsPerConnection; 0 = no limit). */
  readonly maxStreamsPerConnection: number
  /** PING keep-alive (http.http2KeepAlive), or undefined. */
  readonly keepAlive: { readonly intervalMs: number; readonly timeoutMs: number } | undefined
  /** Key of these settings: two clusters with different settings never share a connection. */
  readonly key: string
}

const byPoolSettings = new WeakMap<PoolSettings, Map<object, H2Settings>>()

/** The HTTP/2 settings of a target, built once per (cached) pool settings and policy. */
export function h2SettingsOf(target: MeshCallTarget, pool: PoolSettings): H2Settings {
  let byPolicy = byPoolSettings.get(pool)
  if (byPolicy === undefined) {
    byPolicy = new Map()
    byPoolSettings.set(pool, byPolicy)
  }
  const connectionPool = target.policy.connectionPool
  let settings = byPolicy.get(connectionPool)
  if (settings === undefined) {
    const keepAlive = connectionPool.http2KeepAlive
    settings = {
      pool,
      maxConcurrentStreams: connectionPool.maxConcurrentStreams,
      maxConnections: isLimited(connectionPool.maxConnections) ? connectionPool.maxConnections : Number.POSITIVE_INFINITY,
      maxPending: isLimited(connectionPool.http1MaxPendingRequests) ? connectionPool.http1MaxPendingRequests : Number.POSITIVE_INFINITY,
      maxStreamsPerConnection: connectionPool.maxRequestsPerConnection,
      keepAlive,
      key: [
        connectionPool.maxConcurrentStreams,
        connectionPool.maxConnections,
        connectionPool.http1MaxPendingRequests,
        connectionPool.maxRequestsPerConnection,
        keepAlive === undefined ? '-' : `${keepAlive.intervalMs}/${keepAlive.timeoutMs}`,
      ].join('|'),
    }
    byPolicy.set(connectionPool, settings)
  }
  return settings
}
