import type { GatewaySelection } from '@meshlet/rules'
import type { CreateMeshOptions } from '../mesh/options.js'

/** Limits and timeouts of the gateway's inbound side. */
export interface GatewayLimits {
  /** Request headers larger than this (request line included) get 431. */
  readonly maxRequestHeadersBytes?: number
  /** More request headers than this get 431. */
  readonly maxRequestHeaders?: number
  /** A request body larger than this gets 413; undefined = no limit. */
  readonly maxRequestBodyBytes?: number
  /** A stream with no activity in either direction for this long is ended (408 before any response). */
  readonly streamIdleTimeoutMs?: number
  /** An idle keep-alive connection is closed after this long. */
  readonly idleTimeoutMs?: number
  /** The request headers must have arrived within this long (a slow client gets 408). */
  readonly requestHeadersTimeoutMs?: number
}

export interface CreateGatewayOptions extends CreateMeshOptions {
  /**
   * The gateway this process implements: `namespace/name` of an Istio Gateway or a Gateway API
   * Gateway, or this workload's labels (`{ istio: 'ingressgateway' }`), which select every Istio
   * Gateway whose `selector` they satisfy.
   */
  readonly gateway: GatewaySelection
  /** Inbound limits and timeouts; each defaults to Envoy's (DEFAULT_GATEWAY_LIMITS). */
  readonly limits?: GatewayLimits
  /**
   * The Gateway server port that `gateway.handler`, `express()` and the Fastify plugin serve when
   * the server they are mounted on listens on a port no Gateway server declares. Default: the
   * first HTTP port of the Gateway.
   */
  readonly port?: number
}

/**
 * Envoy's defaults for a downstream HTTP connection manager, which Istio's gateway keeps
 * (envoy api/envoy/config/core/v3/protocol.proto HttpProtocolOptions, and
 * extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto):
 * max_request_headers_kb 60 and max_headers_count 100 (431 beyond either), stream_idle_timeout
 * 5 minutes, connection idle_timeout 1 hour, no request body limit (the buffer filter's
 * max_request_bytes answers 413 when one is configured). Envoy's request_headers_timeout is
 * disabled by default; meshlet bounds header arrival at Node's own 60 s default instead, so that a
 * client trickling header bytes cannot hold a connection forever (a departure, documented in
 * docs/gateway.md).
 */
export const DEFAULT_GATEWAY_LIMITS = {
  maxRequestHeadersBytes: 60 * 1024,
  maxRequestHeaders: 100,
  maxRequestBodyBytes: undefined,
  streamIdleTimeoutMs: 5 * 60_000,
  idleTimeoutMs: 60 * 60_000,
  requestHeadersTimeoutMs: 60_000,
} as const satisfies Required<Omit<GatewayLimits, 'maxRequestBodyBytes'>> & { maxRequestBodyBytes: undefined }

export interface ResolvedGatewayLimits {
  readonly maxRequestHeadersBytes: number
  readonly maxRequestHeaders: number
  readonly maxRequestBodyBytes: number | undefined
  readonly streamIdleTimeoutMs: number
  readonly idleTimeoutMs: number
  readonly requestHeadersTimeoutMs: number
}

export function resolveLimits(limits: GatewayLimits | undefined): ResolvedGatewayLimits {
  return { ...DEFAULT_GATEWAY_LIMITS, ...Object.fromEntries(Object.entries(limits ?? {}).filter(([, value]) => value !== undefined)) }
}
