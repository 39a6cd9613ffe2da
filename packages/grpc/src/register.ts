import { MeshError } from '@meshlet/core'
import type { Mesh } from 'meshlet'
import { GrpcIngress } from './ingress.js'
import { MESHLET_SCHEME, ingressPortOf, registerScheme, setIngressPort } from './resolver.js'

export interface MeshletGrpcOptions {
  /**
   * The authority of the targets that reach this mesh: `meshlet://<name>/host:port`. The default
   * '' serves `meshlet:///host:port`. Several meshes in one process each take their own name.
   */
  readonly name?: string | undefined
}

/** A mesh serving gRPC channels; `close()` stops it (the mesh itself stays open). */
export interface MeshletGrpc {
  /** `meshlet:///host:port` (with this registration's name) for a service host and port. */
  target(hostAndPort: string): string
  close(): Promise<void>
}

/**
 * Sends the calls of grpc-js channels whose target is `meshlet:///<host>:<port>` through `mesh`,
 * so generated clients work unchanged with only their target changed:
 *
 * ```ts
 * const grpcMesh = await registerMeshletGrpc(mesh)
 * const client = new ReviewsClient('meshlet:///reviews.shop.svc.cluster.local:9080', credentials.createInsecure())
 * ```
 *
 * Each call is routed, retried, balanced and measured by the mesh's rules (see GrpcIngress). The
 * channel's own credentials cover the loopback hop only: TLS to the service is the
 * DestinationRule's `tls`, as with a sidecar.
 */
export async function registerMeshletGrpc(mesh: Mesh, options: MeshletGrpcOptions = {}): Promise<MeshletGrpc> {
  const name = options.name ?? ''
  if (ingressPortOf(name) !== undefined) {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `a mesh is already registered for ${MESHLET_SCHEME}://${name}/ targets; close it first or pass another name`)
  }
  registerScheme()
  const ingress = new GrpcIngress(mesh)
  const port = await ingress.listen()
  setIngressPort(name, port)
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    if (ingressPortOf(name) === port) setIngressPort(name, undefined)
    await ingress.close()
  }
  mesh.onClose(() => void close())
  return {
    target: (hostAndPort) => `${MESHLET_SCHEME}://${name}/${hostAndPort}`,
    close,
  }
}
