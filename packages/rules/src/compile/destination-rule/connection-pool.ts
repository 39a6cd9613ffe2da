import type { ConnectionPoolSettings } from '../../spec/destination-rule.js'
import type { CompiledConnectionPool } from '../snapshot.js'
import { UNLIMITED } from '@meshlet/core'
import { durationMs } from '../duration.js'

/**
 * Istio's connection pool defaults (`cluster_traffic_policy.go` applyConnectionPool,
 * getDefaultCircuitBreakerThresholds; DR proto; reference §13): effectively unlimited counts, the
 * mesh connectTimeout of 10 s. Idle timeouts stay unset here; the transport applies http, else
 * tcp, else Istio's 1 h default. An integer 0 means "use the default", since Istio cannot tell it
 * from unset.
 */
export const DEFAULT_CONNECTION_POOL: CompiledConnectionPool = {
  maxConnections: UNLIMITED,
  connectTimeoutMs: 10_000,
  tcpIdleTimeoutMs: undefined,
  maxConnectionDurationMs: undefined,
  http1MaxPendingRequests: UNLIMITED,
  http2MaxRequests: UNLIMITED,
  /** 0 = unlimited requests per connection. */
  maxRequestsPerConnection: 0,
  maxRetries: UNLIMITED,
  httpIdleTimeoutMs: undefined,
  // Istio's mesh default h2UpgradePolicy is DO_NOT_UPGRADE (mesh.go), which DEFAULT falls back to.
  h2UpgradePolicy: 'DEFAULT',
  useClientProtocol: false,
  // Envoy's Http2ProtocolOptions.max_concurrent_streams default (protocol.proto: 2147483647).
  maxConcurrentStreams: 2_147_483_647,
  http2KeepAlive: undefined,
}

export function compileConnectionPool(spec: ConnectionPoolSettings | undefined): CompiledConnectionPool {
  if (!spec) return DEFAULT_CONNECTION_POOL
  const defaults = DEFAULT_CONNECTION_POOL
  const tcp = spec.tcp ?? {}
  const http = spec.http ?? {}
  return {
    maxConnections: positiveOr(tcp.maxConnections, defaults.maxConnections),
    connectTimeoutMs: durationMs(tcp.connectTimeout) || defaults.connectTimeoutMs,
    // tcp.idleTimeout is the one duration where 0s is allowed: it disables the timeout.
    tcpIdleTimeoutMs: durationMs(tcp.idleTimeout) ?? defaults.tcpIdleTimeoutMs,
    maxConnectionDurationMs: durationMs(tcp.maxConnectionDuration) || defaults.maxConnectionDurationMs,
    http1MaxPendingRequests: positiveOr(http.http1MaxPendingRequests, defaults.http1MaxPendingRequests),
    http2MaxRequests: positiveOr(http.http2MaxRequests, defaults.http2MaxRequests),
    maxRequestsPerConnection: positiveOr(http.maxRequestsPerConnection, defaults.maxRequestsPerConnection),
    maxRetries: positiveOr(http.maxRetries, defaults.maxRetries),
    httpIdleTimeoutMs: durationMs(http.idleTimeout) || defaults.httpIdleTimeoutMs, // `0s` is rejected by validation
    h2UpgradePolicy: http.h2UpgradePolicy ?? defaults.h2UpgradePolicy,
    useClientProtocol: http.useClientProtocol === true,
    maxConcurrentStreams: positiveOr(http.maxConcurrentStreams, defaults.maxConcurrentStreams),
    http2KeepAlive: compileKeepAlive(http.http2KeepAlive),
  }
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback
}

/** http2KeepAlive needs both fields (validation says so); without either nothing is sent. */
function compileKeepAlive(spec: { interval?: string; timeout?: string } | undefined): CompiledConnectionPool['http2KeepAlive'] {
  const intervalMs = durationMs(spec?.interval)
  const timeoutMs = durationMs(spec?.timeout)
  if (intervalMs === undefined || timeoutMs === undefined || intervalMs <= 0 || timeoutMs <= 0) return undefined
  return { intervalMs, timeoutMs }
}
