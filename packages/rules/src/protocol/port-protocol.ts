/**
 * A service port's protocol as Istio reads it (istio pkg/config/protocol/instance.go Parse, case
 * ignored). `''` is Istio's "Unsupported": the port is sniffed, which for an HTTP client such as
 * meshlet means the caller's own protocol.
 */
export type PortProtocol = 'HTTP' | 'HTTP2' | 'GRPC' | 'GRPC-WEB' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | 'MONGO' | 'REDIS' | 'MYSQL' | 'HTTP_PROXY' | ''

const BY_NAME: Readonly<Record<string, PortProtocol>> = {
  http: 'HTTP',
  http2: 'HTTP2',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-WEB',
  https: 'HTTPS',
  tls: 'TLS',
  tcp: 'TCP',
  udp: 'UDP',
  mongo: 'MONGO',
  redis: 'REDIS',
  mysql: 'MYSQL',
  http_proxy: 'HTTP_PROXY',
}

/** A ServiceEntry port's `protocol` field (Istio reads nothing else of a ServiceEntry port). */
export function parsePortProtocol(protocol: string | undefined): PortProtocol {
  return protocol === undefined ? '' : (BY_NAME[protocol.toLowerCase()] ?? '')
}

/** Ports Istio treats as TCP when nothing names their protocol (kube/conversion.go wellKnownPorts). */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017])

/**
 * A Kubernetes Service port's protocol as Istio derives it (istio pkg/config/kube/conversion.go
 * ConvertProtocol): `appProtocol` when set, else the port name; a `grpc-web` prefix first, then
 * the part before the first `-` (`grpc-reviews` → GRPC, `http2-api` → HTTP2, `http` → HTTP);
 * an unknown name is sniffed, except on the well-known TCP ports.
 */
export function kubernetesPortProtocol(port: number, name: string | undefined, appProtocol: string | undefined): PortProtocol {
  const label = appProtocol ?? name ?? ''
  if (label.slice(0, 8).toLowerCase() === 'grpc-web') return 'GRPC-WEB'
  const dash = label.indexOf('-')
  const parsed = parsePortProtocol(dash === -1 ? label : label.slice(0, dash))
  if (parsed === '' && WELL_KNOWN_TCP_PORTS.has(port)) return 'TCP'
  return parsed
}

/** HTTP2, GRPC and GRPC-WEB ports: Istio gives their clusters HTTP/2 options (Instance.IsHTTP2). */
export function isHttp2Protocol(protocol: PortProtocol): boolean {
  return protocol === 'HTTP2' || protocol === 'GRPC' || protocol === 'GRPC-WEB'
}
