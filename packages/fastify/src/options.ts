import { MeshError } from '@meshlet/core'
import type { InboundMesh, PropagationOptions } from '@meshlet/core'
import type { Mesh } from 'meshlet'

/** What the plugin needs of a mesh (createMesh() returns one). */
export type InboundAdapterMesh = InboundMesh & Pick<Mesh, 'cors'>

export interface MeshletFastifyOptions {
  /** The mesh whose `fetch` the routes call. */
  readonly mesh: InboundAdapterMesh
  /** Headers to hand on beyond the mesh's list (trace headers and every header a loaded VirtualService matches on), or not to. */
  readonly propagate?: PropagationOptions
  /**
   * This service's own authority in the mesh (`reviews:9080`), whose VirtualService `corsPolicy`
   * applies to the requests it receives. Default: the request's Host header.
   */
  readonly host?: string
  /** Answer CORS preflights and add CORS headers from that corsPolicy. Default true. */
  readonly cors?: boolean
  /** Makes the id of a request that arrives without `x-request-id`. Default: a UUID v4, as Envoy. */
  readonly generateRequestId?: () => string
}

/** Defaults of the inbound plugin: CORS handled as Envoy's CORS filter does in a sidecar. */
export const DEFAULT_FASTIFY_OPTIONS = {
  cors: true,
} as const

/** A MESHLET_ERR_INVALID_ARGUMENT error when the options cannot work, else undefined (checked at registration). */
export function fastifyOptionsError(options: Partial<MeshletFastifyOptions> | undefined): MeshError | undefined {
  const mesh = options?.mesh as Partial<InboundAdapterMesh> | undefined
  if (typeof mesh?.headersToPropagate !== 'function' || typeof mesh.cors !== 'function' || typeof mesh.clock?.now !== 'function') {
    return new MeshError('MESHLET_ERR_INVALID_ARGUMENT', '@meshlet/fastify: register it with { mesh }, the mesh createMesh() returned')
  }
  if (options?.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
    return new MeshError('MESHLET_ERR_INVALID_ARGUMENT', '@meshlet/fastify: options.host must be a non-empty authority such as "reviews:9080"')
  }
  if (options?.generateRequestId !== undefined && typeof options.generateRequestId !== 'function') {
    return new MeshError('MESHLET_ERR_INVALID_ARGUMENT', '@meshlet/fastify: options.generateRequestId must be a function')
  }
  return undefined
}
