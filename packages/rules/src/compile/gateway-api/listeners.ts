import type { RawResource } from '../../source/resource.js'
import type { KubernetesGatewaySpec, Listener } from '../../spec/gateway-api.js'
import type { CompiledGatewayServer, CompiledServerTls } from '../snapshot.js'
import { refOf } from '../order.js'

/** The listeners of a Gateway API Gateway as gateway servers (hostname `*` when it has none). */
export function listenerServers(gateway: RawResource): CompiledGatewayServer[] {
  const source = refOf(gateway)
  const out: CompiledGatewayServer[] = []
  ;((gateway.spec as KubernetesGatewaySpec).listeners ?? []).forEach((listener: Listener, index) => {
    if (!listener?.port) return
    out.push({
      port: listener.port,
      protocol: (listener.protocol ?? 'HTTP').toUpperCase(),
      name: listener.name,
      hosts: [listener.hostname ?? '*'],
      tls: listenerTls(listener, gateway.namespace),
      httpsRedirect: false,
      source,
      path: ['spec', 'listeners', index],
    })
  })
  return out
}

/**
 * A listener's TLS: Terminate with certificateRefs to Secrets. meshlet reads certificate files,
 * not Secrets, so the reference is kept as `credentialName` (gateway.listen() says what to do);
 * the `meshlet.io/` TLS options `certificate`, `private-key` and `ca-certificates` give file paths.
 */
function listenerTls(listener: Listener, namespace: string): CompiledServerTls | undefined {
  const tls = listener.tls
  if (tls === undefined) return undefined
  const ref = tls.certificateRefs?.[0]
  const options = tls.options ?? {}
  return {
    mode: tls.mode === 'Passthrough' ? 'PASSTHROUGH' : options['meshlet.io/ca-certificates'] ? 'MUTUAL' : 'SIMPLE',
    serverCertificate: options['meshlet.io/certificate'],
    privateKey: options['meshlet.io/private-key'],
    caCertificates: options['meshlet.io/ca-certificates'],
    credentialName: ref?.name === undefined ? undefined : `${ref.namespace ?? namespace}/${ref.name}`,
    minProtocolVersion: undefined,
    maxProtocolVersion: undefined,
    cipherSuites: [],
    subjectAltNames: [],
  }
}
