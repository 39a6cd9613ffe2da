import { MeshError } from '@meshlet/core'
import type { Mesh } from 'meshlet'
import { registerMeshletLoadBalancer } from './load-balancer.js'
import { meshOf, setMesh } from './registry.js'
import { MESHLET_SCHEME, registerScheme } from './resolver.js'

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
 * It registers, once per process, grpc-js's two extension points for it: a resolver for the
 * `meshlet:` scheme and a `meshlet` load-balancing policy, whose picks hand every call to the mesh
 * (mesh-call.ts). Each call is routed, retried, balanced and measured by the mesh's rules, exactly
 * as a mesh.request call. The channel's credentials are not used: TLS to the service is the
 * DestinationRule's `tls`, as with a sidecar.
 */
export async function registerMeshletGrpc(mesh: Mesh, options: MeshletGrpcOptions = {}): Promise<MeshletGrpc> {
  const name = options.name ?? ''
  if (meshOf(name) !== undefined) {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `a mesh is already registered for ${MESHLET_SCHEME}://${name}/ targets; close it first or pass another name`)
  }
  registerScheme()
  registerMeshletLoadBalancer()
  setMesh(name, mesh)
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    if (meshOf(name) === mesh) setMesh(name, undefined)
  }
  mesh.onClose(() => void close())
  return {
    target: (hostAndPort) => `${MESHLET_SCHEME}://${name}/${hostAndPort}`,
    close,
  }
}
