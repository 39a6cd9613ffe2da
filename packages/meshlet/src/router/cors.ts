import { selectRoute } from '@meshlet/rules'
import type { CompiledCors, MeshSnapshot } from '@meshlet/rules'
import type { MeshRequest } from '@meshlet/core'
import { MeshRouteRequest } from './route-request.js'

/**
 * What an inbound adapter should do about CORS for a request, from the corsPolicy of the route the
 * request matches (Envoy's CORS filter; reference §9):
 * - `none`: no policy, or no Origin header: handle the request normally.
 * - `preflight`: answer the OPTIONS preflight with `headers` and status 200, do not call the app.
 * - `actual`: call the app and add `headers` to its response.
 * - `forward`: a preflight whose origin the policy does not allow: pass it to the app
 *   (unmatchedPreflights FORWARD) ...
 * - `ignore`: ... or answer it without CORS headers (unmatchedPreflights IGNORE).
 */
export type CorsDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'preflight'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'actual'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'forward' }
  | { readonly kind: 'ignore' }

export function corsDecision(snapshot: MeshSnapshot, request: Pick<MeshRequest, 'method' | 'scheme' | 'authority' | 'path' | 'headers'>): CorsDecision {
  const origin = request.headers.origin
  if (origin === undefined) return { kind: 'none' }
  const selection = selectRoute(snapshot, new MeshRouteRequest({ ...request, body: null }))
  const cors = selection.kind === 'virtualService' ? selection.route?.cors : undefined
  if (cors === undefined) return { kind: 'none' }
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
  const allowed = cors.allowOrigins.some((matcher) => matcher.test(origin))
  if (!allowed) return preflight ? { kind: cors.unmatchedPreflights === 'IGNORE' ? 'ignore' : 'forward' } : { kind: 'none' }
  return preflight ? { kind: 'preflight', headers: preflightHeaders(cors, origin) } : { kind: 'actual', headers: actualHeaders(cors, origin) }
}

function commonHeaders(cors: CompiledCors, origin: string): Record<string, string> {
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'origin' }
  if (cors.allowCredentials === true) headers['access-control-allow-credentials'] = 'true'
  return headers
}

function preflightHeaders(cors: CompiledCors, origin: string): Record<string, string> {
  const headers = commonHeaders(cors, origin)
  if (cors.allowMethods.length > 0) headers['access-control-allow-methods'] = cors.allowMethods.join(',')
  if (cors.allowHeaders.length > 0) headers['access-control-allow-headers'] = cors.allowHeaders.join(',')
  if (cors.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(cors.maxAgeSeconds)
  return headers
}

function actualHeaders(cors: CompiledCors, origin: string): Record<string, string> {
  const headers = commonHeaders(cors, origin)
  if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',')
  return headers
}
