import { MeshError } from '@meshlet/core'
import type { ExtendOptions } from 'got'

/**
 * What createMeshGot sets on the got instance, whatever the caller passes.
 *
 * - `retry.limit: 0`: the mesh retries (the VirtualService `retries`, or Istio's default of 2 on
 *   connect failures); got retrying on top would multiply the tries, up to 3 × 3 = 9 calls for
 *   one request (reference §18.1, "why do I see 3 calls?").
 *
 * `throwHttpErrors` is left as the caller sets it (got's default: true): a 4xx/5xx that remains
 * once the mesh is done retrying rejects with got's HTTPError, as got users expect, and a reply
 * the mesh made itself (404 no route, 503, 504) carries its `x-meshlet-reason` header in
 * `error.response.headers`. Throwing does not retry, so it multiplies nothing.
 */
export const MESH_GOT_DEFAULTS = {
  retry: { limit: 0 },
} as const

/** Throws MESHLET_ERR_INVALID_ARGUMENT for options that would defeat the mesh. */
export function checkGotOptions(options: ExtendOptions): void {
  const limit = options.retry?.limit
  if (limit !== undefined && limit > 0) {
    throw new MeshError(
      'MESHLET_ERR_INVALID_ARGUMENT',
      `createMeshGot: retry.limit ${limit} would retry on top of the mesh; set retries in the VirtualService (http[].retries) instead`,
    )
  }
  if (options.request !== undefined) {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'createMeshGot: the `request` option is the mesh; it cannot be replaced')
  }
}
