import type { ServiceDeclaration, ServicePortDeclaration } from '../../discovered/types.js'
import type { KubeObject } from '../informer/object.js'

/** Istio's protocol names for a port's appProtocol or name prefix (istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection). */
const PROTOCOLS: Readonly<Record<string, string>> = {
  http: 'HTTP',
  http2: 'HTTP2',
  'kubernetes.io/h2c': 'HTTP2',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-WEB',
  https: 'HTTPS',
  tls: 'TLS',
  tcp: 'TCP',
  mongo: 'MONGO',
  mysql: 'MYSQL',
  redis: 'REDIS',
}

/** The host of a Service: `name.namespace.svc.<domain>`. */
export function serviceHost(namespace: string, name: string, domain: string): string {
  return `${name}.${namespace}.svc.${domain}`.toLowerCase()
}

/**
 * A Kubernetes Service as a host the rules know, with its ports (name, number, targetPort when it
 * is a number) as Istio's Kubernetes registry converts it (`istio:pilot/pkg/serviceregistry/kube/conversion.go`).
 * An ExternalName service resolves its external name by DNS; every other type (ClusterIP,
 * headless, NodePort, LoadBalancer) goes to its pods, as Istio's sidecars do.
 */
export function serviceDeclaration(service: KubeObject, domain: string, origin: string): ServiceDeclaration {
  const spec = (service.spec ?? {}) as { type?: unknown; externalName?: unknown; ports?: unknown }
  const namespace = service.metadata.namespace ?? 'default'
  const ports: ServicePortDeclaration[] = []
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports as Array<Record<string, unknown>>) {
      if (typeof port?.port !== 'number') continue
      const name = typeof port.name === 'string' ? port.name : ''
      ports.push({ number: port.port, name, protocol: protocolOf(name, port.appProtocol), targetPort: typeof port.targetPort === 'number' ? port.targetPort : undefined })
    }
  }
  const external = spec.type === 'ExternalName' && typeof spec.externalName === 'string' && spec.externalName !== ''
  return {
    host: serviceHost(namespace, service.metadata.name, domain),
    kind: 'Service',
    namespace,
    name: service.metadata.name,
    origin,
    ports,
    resolution: external ? 'DNS' : 'STATIC',
    dnsName: external ? (spec.externalName as string) : undefined,
  }
}

/** appProtocol first, then the port name's prefix before `-` (`http-web` is HTTP); '' when neither says. */
function protocolOf(name: string, appProtocol: unknown): string {
  if (typeof appProtocol === 'string') {
    const known = PROTOCOLS[appProtocol.toLowerCase()]
    if (known !== undefined) return known
  }
  return PROTOCOLS[name.toLowerCase().split('-')[0] ?? ''] ?? ''
}
