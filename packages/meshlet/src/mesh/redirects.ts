import { MeshError, isReplayableBody, responseHeader } from '@meshlet/core'
import type { MeshRequest, MeshResponse } from '@meshlet/core'

/** fetch follows at most 20 redirects (fetch spec, "HTTP-redirect fetch"). */
export const MAX_REDIRECTS = 20

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Request headers dropped when a redirect turns the request into a GET (fetch spec "request-body-header name"). */
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length']

/** Credentials not sent to another origin (fetch spec; undici drops the same). */
const CROSS_ORIGIN_DROPPED = ['authorization', 'proxy-authorization', 'cookie']

/** The Location to follow, when the response is a redirect that carries one. */
export function redirectTarget(response: MeshResponse): string | undefined {
  if (!REDIRECT_STATUSES.has(response.status)) return undefined
  return responseHeader(response.headers, 'location')
}

/**
 * The request fetch sends after a redirect (fetch spec "HTTP-redirect fetch"): a 303, or a 301/302
 * of a POST, becomes a GET without body; 307/308 resend the same method and body, which a streamed
 * body cannot do; credentials, and the mesh-only headers propagated from the inbound request, stay
 * on the same origin.
 */
export function followRedirect(
  request: MeshRequest,
  from: URL,
  status: number,
  location: string,
  meshOnlyHeaders: readonly string[] = [],
): { readonly request: MeshRequest; readonly url: URL } {
  let url: URL
  try {
    url = new URL(location, from)
  } catch {
    throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: redirect to an invalid Location "${location}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: redirect to unsupported scheme ${url.protocol}`)
  }
  const toGet = (status === 303 && request.method !== 'GET' && request.method !== 'HEAD') || ((status === 301 || status === 302) && request.method === 'POST')
  const headers: Record<string, string> = { ...request.headers }
  if (toGet) for (const name of BODY_HEADERS) delete headers[name]
  // The routing and identity headers meshlet handed on from the inbound request never cross an
  // origin change, wherever the new origin is; the caller's credentials neither (fetch spec).
  if (url.origin !== from.origin) for (const name of [...CROSS_ORIGIN_DROPPED, ...meshOnlyHeaders]) delete headers[name]
  if (!toGet && !isReplayableBody(request.body)) {
    throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: cannot follow a ${status} redirect with a streamed body (use redirect: 'manual')`)
  }
  return {
    url,
    request: {
      ...request,
      method: toGet ? 'GET' : request.method,
      body: toGet ? null : request.body,
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      authority: url.host,
      path: `${url.pathname}${url.search}`,
      headers,
    },
  }
}
