import type { CompiledConnectionPool } from '../compile/snapshot.js'
import { isHttp2Protocol } from './port-protocol.js'
import type { PortProtocol } from './port-protocol.js'

/**
 * Whether a cluster speaks HTTP/2 to its endpoints, decided as Istio builds an outbound cluster
 * (istio pilot/pkg/networking/core/cluster_builder.go: HTTP/2 options for an IsHTTP2 port;
 * shouldH2Upgrade for the rest):
 * - a port declared HTTP2, GRPC or GRPC-WEB speaks HTTP/2;
 * - otherwise `h2UpgradePolicy: UPGRADE` upgrades, unless `useClientProtocol` is set;
 * - `DEFAULT` follows the mesh's h2UpgradePolicy, DO_NOT_UPGRADE in a default mesh, and
 *   `DO_NOT_UPGRADE` keeps HTTP/1.1;
 * - a port with no declared protocol is sniffed by Istio, i.e. the caller's protocol is kept:
 *   HTTP/1.1 for mesh.fetch and mesh.request.
 * Over TLS an HTTP/2 cluster offers ALPN `h2` only, as Istio sets for h2 clusters (ALPNH2Only).
 */
export function upstreamProtocolOf(portProtocol: PortProtocol, pool: Pick<CompiledConnectionPool, 'h2UpgradePolicy' | 'useClientProtocol'>): 'http1' | 'h2' {
  if (isHttp2Protocol(portProtocol)) return 'h2'
  if (pool.useClientProtocol) return 'http1'
  return pool.h2UpgradePolicy === 'UPGRADE' ? 'h2' : 'http1'
}
