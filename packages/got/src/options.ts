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
  checkRetryLimit(options.retry?.limit, 'createMeshGot')
  if (options.request !== undefined) {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'createMeshGot: the `request` option is the mesh; it cannot be replaced')
  }
}

/**
 * Refuses a got retry limit above 0: got would retry on top of the mesh's own retries. Called when
 * the instance is made and again for every request, with got's merged options, so neither
 * `client.extend({ retry })` nor a per-request `retry` option can bring got's retries back.
 */
export function checkRetryLimit(limit: number | undefined, where: string): void {
  if (limit === undefined || limit <= 0) return
  throw new MeshError(
    'MESHLET_ERR_INVALID_ARGUMENT',
    `${where}: retry.limit ${limit} would make got retry on top of the mesh (every got try would be retried by the mesh again); ` +
      'configure retries in the VirtualService (http[].retries) instead, or leave retry.limit at 0',
  )
}
