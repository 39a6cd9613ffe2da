import { describe, expect, it } from 'vitest'
import { UNLIMITED } from '@meshlet/core'
import type { CompiledConnectionPool } from '@meshlet/rules'
import { toUndiciPoolOptions } from './undici-options.js'

/** What the compiler makes of a DestinationRule without connectionPool (rules' DEFAULT_CONNECTION_POOL). */
const DEFAULT_CONNECTION_POOL: CompiledConnectionPool = {
  maxConnections: UNLIMITED,
  connectTimeoutMs: 10_000,
  tcpIdleTimeoutMs: undefined,
  maxConnectionDurationMs: undefined,
  http1MaxPendingRequests: UNLIMITED,
  http2MaxRequests: UNLIMITED,
  maxRequestsPerConnection: 0,
  maxRetries: UNLIMITED,
  httpIdleTimeoutMs: undefined,
  h2UpgradePolicy: 'DEFAULT',
  useClientProtocol: false,
  maxConcurrentStreams: 2_147_483_647,
  http2KeepAlive: undefined,
}

describe('toUndiciPoolOptions', () => {
  it("maps Istio's defaults to unlimited connections, one request per connection at a time and a 1 h idle timeout", () => {
    expect(toUndiciPoolOptions(DEFAULT_CONNECTION_POOL)).toEqual({
      connections: undefined,
      pipelining: 1,
      connect: { timeout: 10_000 },
      keepAliveTimeout: 3_600_000,
      keepAliveMaxTimeout: 3_600_000,
      maxRequestsPerClient: undefined,
      clientTtl: undefined,
    })
  })

  it('maps each connection pool field to its undici option', () => {
    const options = toUndiciPoolOptions({
      ...DEFAULT_CONNECTION_POOL,
      maxConnections: 10,
      connectTimeoutMs: 250,
      httpIdleTimeoutMs: 30_000,
      maxRequestsPerConnection: 1,
      maxConnectionDurationMs: 60_000,
    })
    expect(options).toMatchObject({
      connections: 10,
      connect: { timeout: 250 },
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 30_000,
      maxRequestsPerClient: 1,
      clientTtl: 60_000,
    })
  })

  it('keeps an explicit http.idleTimeout of 1h even when tcp.idleTimeout is set, and uses 1h when neither is set', () => {
    expect(toUndiciPoolOptions({ ...DEFAULT_CONNECTION_POOL, httpIdleTimeoutMs: 3_600_000, tcpIdleTimeoutMs: 5000 }).keepAliveTimeout).toBe(3_600_000)
    expect(toUndiciPoolOptions(DEFAULT_CONNECTION_POOL).keepAliveTimeout).toBe(3_600_000)
  })

  it('falls back to tcp.idleTimeout when http.idleTimeout is not set, and reads 0 as never', () => {
    expect(toUndiciPoolOptions({ ...DEFAULT_CONNECTION_POOL, tcpIdleTimeoutMs: 5000 }).keepAliveTimeout).toBe(5000)
    expect(toUndiciPoolOptions({ ...DEFAULT_CONNECTION_POOL, tcpIdleTimeoutMs: 0 }).keepAliveTimeout).toBe(2_147_483_647)
    expect(toUndiciPoolOptions({ ...DEFAULT_CONNECTION_POOL, httpIdleTimeoutMs: 20_000, tcpIdleTimeoutMs: 5000 }).keepAliveTimeout).toBe(20_000)
  })

  it('reads 0 and 2^32-1 connection limits as unlimited', () => {
    expect(toUndiciPoolOptions({ ...DEFAULT_CONNECTION_POOL, maxConnections: 0 }).connections).toBeUndefined()
  })
})
