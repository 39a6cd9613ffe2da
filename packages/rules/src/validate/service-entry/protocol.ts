/**
 * Port protocols as Istio parses them, ignoring case (`istio:pkg/config/protocol/instance.go`
 * Parse). An empty protocol means "sniff" and is accepted.
 */
const PROTOCOLS: Readonly<Record<string, ProtocolClass>> = {
  tcp: { http: false, tls: false, tcp: true },
  udp: { http: false, tls: false, tcp: false },
  grpc: { http: true, tls: false, tcp: false },
  'grpc-web': { http: true, tls: false, tcp: false },
  http: { http: true, tls: false, tcp: false },
  http_proxy: { http: true, tls: false, tcp: false },
  http2: { http: true, tls: false, tcp: false },
  https: { http: false, tls: true, tcp: true },
  tls: { http: false, tls: true, tcp: true },
  mongo: { http: false, tls: false, tcp: true },
  redis: { http: false, tls: false, tcp: true },
  mysql: { http: false, tls: false, tcp: true },
}

export interface ProtocolClass {
  /** Carried over HTTP (IsHTTP). */
  readonly http: boolean
  /** Carried over TLS with SNI (IsTLS). */
  readonly tls: boolean
  /** Raw TCP as Istio counts it (IsTCP). */
  readonly tcp: boolean
}

export const KNOWN_PROTOCOLS = 'HTTP, HTTPS, HTTP2, GRPC, GRPC-Web, TLS, TCP, UDP, Mongo, Redis, MySQL, HTTP_PROXY'

/** The protocol's class, or undefined when Istio does not know it ("" is unknown but allowed). */
export function protocolClass(protocol: string): ProtocolClass | undefined {
  return PROTOCOLS[protocol.toLowerCase()]
}
