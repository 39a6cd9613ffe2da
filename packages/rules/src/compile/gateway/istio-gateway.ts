import type { RawResource } from '../../source/resource.js'
import type { GatewaySpec, Server, ServerTLSSettings } from '../../spec/gateway.js'
import type { CompiledGatewayServer, CompiledServerTls } from '../snapshot.js'
import type { GatewaySelection } from '../options.js'
import { compareByAge, refOf } from '../order.js'
import { labelsMatch } from '../visibility.js'

/**
 * The Istio Gateways this process implements: the one named `namespace/name`, or, for workload
 * labels, every Gateway whose `selector` those labels satisfy (Istio applies a Gateway to each
 * gateway pod its selector matches), oldest first.
 */
export function selectIstioGateways(resources: readonly RawResource[], selection: GatewaySelection): RawResource[] {
  const gateways = resources.filter((resource) => resource.kind === 'Gateway' && resource.spec).sort(compareByAge)
  if (typeof selection === 'string') return gateways.filter((resource) => `${resource.namespace}/${resource.name}` === selection)
  return gateways.filter((resource) => labelsMatch((resource.spec as GatewaySpec).selector ?? {}, selection))
}

/** The servers of the selected Istio Gateways, each with its TLS settings. */
export function istioServers(gateways: readonly RawResource[]): CompiledGatewayServer[] {
  const out: CompiledGatewayServer[] = []
  for (const resource of gateways) {
    const source = refOf(resource)
    ;((resource.spec as GatewaySpec).servers ?? []).forEach((server: Server, index) => {
      if (!server?.port?.number) return
      out.push({
        port: server.port.number,
        protocol: (server.port.protocol ?? 'HTTP').toUpperCase(),
        name: server.name || server.port.name || undefined,
        hosts: server.hosts ?? [],
        tls: serverTls(server.tls),
        httpsRedirect: server.tls?.httpsRedirect === true,
        source,
        path: ['spec', 'servers', index],
      })
    })
  }
  return out
}

function serverTls(tls: ServerTLSSettings | undefined): CompiledServerTls | undefined {
  if (tls?.mode === undefined) return undefined
  return {
    mode: tls.mode,
    serverCertificate: tls.serverCertificate || tls.tlsCertificates?.[0]?.serverCertificate || undefined,
    privateKey: tls.privateKey || tls.tlsCertificates?.[0]?.privateKey || undefined,
    caCertificates: tls.caCertificates || undefined,
    credentialName: tls.credentialName || tls.credentialNames?.[0] || undefined,
    minProtocolVersion: tls.minProtocolVersion,
    maxProtocolVersion: tls.maxProtocolVersion,
    cipherSuites: tls.cipherSuites ?? [],
    subjectAltNames: tls.subjectAltNames ?? [],
  }
}

/**
 * Whether a VirtualService host is served by a server host (`namespace/host`, reference §1 host
 * matching): the server host's namespace part (`*`, `.` for the Gateway's own namespace, or a
 * name; none means any) must admit the VirtualService's namespace, and the hosts must overlap.
 * Returns the host the virtual host is built for: the more specific of the two, as Istio
 * intersects them (`host.Names.Intersection`).
 */
export function serverHostFor(vsHost: string, vsNamespace: string, serverHost: string, gatewayNamespace: string): string | undefined {
  const slash = serverHost.indexOf('/')
  const namespace = slash === -1 ? '*' : serverHost.slice(0, slash)
  const host = (slash === -1 ? serverHost : serverHost.slice(slash + 1)).toLowerCase()
  if (namespace !== '*' && (namespace === '.' ? gatewayNamespace : namespace) !== vsNamespace) return undefined
  return intersectHosts(vsHost, host)
}

/** The more specific of two overlapping hosts (`*` and wildcards by suffix), or undefined. */
export function intersectHosts(a: string, b: string): string | undefined {
  if (a === b) return a
  if (b === '*' || (b.startsWith('*') && !a.startsWith('*') && a.endsWith(b.slice(1)))) return a
  if (a === '*' || (a.startsWith('*') && !b.startsWith('*') && b.endsWith(a.slice(1)))) return b
  if (a.startsWith('*') && b.startsWith('*')) return a.length >= b.length ? (a.endsWith(b.slice(1)) ? a : undefined) : b.endsWith(a.slice(1)) ? b : undefined
  return undefined
}
