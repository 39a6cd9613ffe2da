import { MeshError } from '@meshlet/core'
import got from 'got'
import type { BeforeRequestHook, ExtendOptions, Got, RequestFunction } from 'got'
import { MeshClientRequest } from './mesh-request.js'
import type { MeshRequestFunction, NativeRequestOptions } from './mesh-request.js'
import { MESH_GOT_DEFAULTS, checkGotOptions, checkRetryLimit } from './options.js'

/** What createMeshGot needs of a mesh (createMesh() returns one): its low-level `request`. */
export interface MeshWithRequest {
  readonly request: MeshRequestFunction
}

/** The former name of MeshWithRequest. */
export type MeshWithFetch = MeshWithRequest

/**
 * A got instance whose requests go through the mesh: routed, split, retried and balanced by the
 * loaded rules, with the inbound request's headers propagated when called inside an Express or
 * Fastify handler. got's streams, hooks, JSON helpers, pagination and redirects work as usual;
 * got does not retry (the mesh does, see MESH_GOT_DEFAULTS). Transport options of got (`agent`,
 * `http2`, `dnsLookup`, `dnsCache`, `localAddress`, `https`) have no effect: the mesh's undici
 * pools carry the requests.
 */
export function createMeshGot(mesh: MeshWithRequest, options: ExtendOptions = {}): Got {
  if (typeof mesh?.request !== 'function') {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'createMeshGot(mesh, options): mesh must be the mesh createMesh() returned')
  }
  checkGotOptions(options)
  const request: RequestFunction = (url, requestOptions) =>
    new MeshClientRequest(mesh.request, url, requestOptions as NativeRequestOptions) as unknown as ReturnType<RequestFunction>
  // beforeRequest hooks run for every request with got's merged options, before anything is sent,
  // and extend() keeps them: the check follows the instance and everything derived from it. got
  // rejects the call with a RequestError carrying this error's code and message.
  const refuseGotRetries: BeforeRequestHook = (merged) => checkRetryLimit(merged.retry.limit, 'got request through the mesh')
  return got.extend(options, { request, retry: MESH_GOT_DEFAULTS.retry, hooks: { beforeRequest: [refuseGotRetries] } })
}
