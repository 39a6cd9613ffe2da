import { UNLIMITED } from '@meshlet/core'

/**
 * DestinationRule `connectionPool` as compiled (the same field names as CompiledConnectionPool in
 * @meshlet/rules, which this package does not import). These are Envoy's per-cluster "circuit
 * breakers": limits on one client's traffic to one destination cluster, not a global budget
 * (reference §13).
 */
export interface PoolLimitsConfig {
  /** tcp.maxConnections: connections (and so HTTP/1 requests in flight) across the cluster. */
  readonly maxConnections: number
  /** http.http1MaxPendingRequests: requests allowed to wait for a connection. */
  readonly http1MaxPendingRequests: number
  /** http.http2MaxRequests: requests in flight across the cluster. */
  readonly http2MaxRequests: number
  /** http.maxRetries: retries in flight across the cluster. */
  readonly maxRetries: number
}

/** The whole compiled connectionPool, including what the transport applies. */
export interface ConnectionPoolConfig extends PoolLimitsConfig {
  readonly connectTimeoutMs: number
  readonly tcpIdleTimeoutMs: number | undefined
  readonly maxConnectionDurationMs: number | undefined
  /** 0 = unlimited; 1 disables keep-alive. */
  readonly maxRequestsPerConnection: number
  /** undefined when not set: then tcpIdleTimeoutMs, then the 1 h default, applies. */
  readonly httpIdleTimeoutMs: number | undefined
}

/** Istio cannot tell an unset int from 0, so 0 (or less) means "use the default", i.e. no limit. */
export function effectiveLimit(value: number): number {
  return value > 0 ? value : UNLIMITED
}
