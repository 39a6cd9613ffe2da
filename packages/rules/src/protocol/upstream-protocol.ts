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
 * - a port with no declared protocol is sniffed by Istio: the cluster keeps the caller's protocol
 *   (`sniff`): HTTP/2 for a caller that speaks it (a gRPC channel), HTTP/1.1 for mesh.fetch.
 * Over TLS an HTTP/2 cluster offers ALPN `h2` only, as Istio sets for h2 clusters (ALPNH2Only).
 */
export function upstreamProtocolOf(portProtocol: PortProtocol, pool: Pick<CompiledConnectionPool, 'h2UpgradePolicy' | 'useClientProtocol'>): 'http1' | 'h2' | 'sniff' {
  if (isHttp2Protocol(portProtocol)) return 'h2'
  const sniffed = portProtocol === ''
  if (pool.useClientProtocol) return sniffed ? 'sniff' : 'http1'
  if (pool.h2UpgradePolicy === 'UPGRADE') return 'h2'
  return sniffed ? 'sniff' : 'http1'
}
