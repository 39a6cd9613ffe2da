import { MeshError } from '@meshlet/core'
import type { InboundMesh, PropagationOptions } from '@meshlet/core'
import type { Mesh } from 'meshlet'

/** What the middleware needs of a mesh (createMesh() returns one). */
export type InboundAdapterMesh = InboundMesh & Pick<Mesh, 'cors'>

export interface MeshletExpressOptions {
  /** Headers to hand on beyond the mesh's list (trace headers and every header a loaded VirtualService matches on), or not to. */
  readonly propagate?: PropagationOptions
  /**
   * This service's own authority in the mesh (`productpage:9080`), whose VirtualService
   * `corsPolicy` applies to the requests it receives. Default: the request's Host header.
   */
  readonly host?: string
  /** Answer CORS preflights and add CORS headers from that corsPolicy. Default true. */
  readonly cors?: boolean
  /** Makes the id of a request that arrives without `x-request-id`. Default: a UUID v4, as Envoy. */
  readonly generateRequestId?: () => string
}

/** Defaults of the inbound middleware: CORS handled as Envoy's CORS filter does in a sidecar. */
export const DEFAULT_EXPRESS_OPTIONS = {
  cors: true,
} as const

/** Throws MESHLET_ERR_INVALID_ARGUMENT at setup, not per request, when the mesh or an option is not usable. */
export function checkExpressArguments(mesh: unknown, options: MeshletExpressOptions): void {
  const candidate = mesh as Partial<InboundAdapterMesh> | undefined
  if (typeof candidate?.headersToPropagate !== 'function' || typeof candidate.cors !== 'function' || typeof candidate.clock?.now !== 'function') {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'meshletExpress(mesh, options): mesh must be the mesh createMesh() returned')
  }
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'meshletExpress: options.host must be a non-empty authority such as "productpage:9080"')
  }
  if (options.generateRequestId !== undefined && typeof options.generateRequestId !== 'function') {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'meshletExpress: options.generateRequestId must be a function')
  }
}
