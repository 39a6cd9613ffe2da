import { LOCAL_REASONS, bytesBody } from '@meshlet/core'
import type { MeshRequest, MeshResponse } from '@meshlet/core'
import { redirectLocation } from '@meshlet/rules'
import type { CompiledDirectResponse, CompiledMatch, CompiledRedirect } from '@meshlet/rules'
import type { MeshRouteRequest } from './route-request.js'

/**
 * A `directResponse` route's answer: the status and body of the rule. Envoy sends a body as
 * text/plain with its length (router config_impl.cc DirectResponseEntry).
 */
export function directResponse(action: CompiledDirectResponse): MeshResponse {
  if (action.body === undefined) return { status: action.status, headers: {}, body: null, localReason: LOCAL_REASONS.directResponse }
  const bytes = Buffer.from(action.body, action.bodyEncoding === 'base64' ? 'base64' : 'utf8')
  return {
    status: action.status,
    headers: { 'content-type': 'text/plain', 'content-length': String(bytes.length) },
    body: bytesBody(bytes),
    localReason: LOCAL_REASONS.directResponse,
  }
}

/** A `redirect` route's answer: the redirect status with a Location built as Envoy builds it, and no body. */
export function redirectResponse(action: CompiledRedirect, match: CompiledMatch | undefined, request: MeshRouteRequest): MeshResponse {
  return {
    status: action.status,
    headers: { location: redirectLocation(action, match, request), 'content-length': '0' },
    body: null,
    localReason: LOCAL_REASONS.redirect,
  }
}

/**
 * A gateway server with `tls.httpsRedirect` answers plain HTTP with 301 to the same Host and path
 * over https, as Envoy's require_tls does (router config_impl.cc SslRedirector: "https://" + host + path).
 */
export function httpsRedirect(request: Pick<MeshRequest, 'authority' | 'path'>): MeshResponse {
  return { status: 301, headers: { location: `https://${request.authority}${request.path}`, 'content-length': '0' }, body: null, localReason: LOCAL_REASONS.redirect }
}
