import type { MeshEndpoint } from '../http/endpoint.js'

/**
 * The cluster a call goes to, as Envoy names it: host, subset and port. The router sets it; pool
 * limits, the balancer and outlier detection key their per-cluster state by `key`.
 */
export interface CallTarget<Policy = unknown> {
  /** `outbound|<port>|<subset>|<host>`, Envoy's cluster name (stable across reloads). */
  readonly key: string
  /** FQDN (or the caller's host name for passthrough). */
  readonly host: string
  readonly subset: string | undefined
  /** Service port addressed (the route destination's port, else the request's). */
  readonly port: number
  /** The DestinationRule policy for this host, subset and port, defaults filled in. */
  readonly policy: Policy
  /** The endpoints of this cluster (subset already applied); empty when it has none. */
  readonly endpoints: readonly MeshEndpoint[]
  /** True when the request goes to the caller's own authority (unknown host, resolution NONE). */
  readonly passthrough: boolean
  /**
   * True when the destination is part of the mesh: declared by a VirtualService, DestinationRule or a
   * MESH_INTERNAL ServiceEntry, or given endpoints by the `endpoints` option or discovery. A
   * MESH_EXTERNAL ServiceEntry host or a host the mesh does not know is outside it: the routing and
   * identity headers handed on from the inbound request are not sent there.
   */
  readonly inMesh: boolean
  /** `https` when the upstream connection uses TLS (request scheme or DestinationRule tls). */
  readonly upstreamScheme: 'http' | 'https'
  /** TLS server name to send when upstreamScheme is https. */
  readonly sni: string | undefined
  /**
   * The protocol spoken to the endpoints, decided when the target is built as Istio decides a
   * cluster's (the service port's protocol, the DestinationRule's h2UpgradePolicy): `h2` for
   * HTTP/2 (cleartext with prior knowledge, or ALPN h2 over TLS), `http1`, or `sniff` for a port
   * with no declared protocol: the caller's protocol is kept (HTTP/2 for a gRPC call, else HTTP/1.1).
   */
  readonly protocol: UpstreamProtocol
}

/** What a cluster speaks to its endpoints. */
export type UpstreamProtocol = 'http1' | 'h2' | 'sniff'
