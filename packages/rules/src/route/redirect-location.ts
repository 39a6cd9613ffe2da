import type { CompiledMatch, CompiledRedirect } from '../compile/snapshot.js'
import { matchedPrefixLength } from './rewrite-path.js'
import { replacePrefix } from '../compile/gateway-api/path-match.js'

export interface RedirectSource {
  readonly scheme: string
  /** The authority as sent, port included. */
  readonly authority: string
  readonly path: string
  readonly query: string
  /** The port the request addressed (explicit, or the scheme's default). */
  readonly port: number | undefined
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 }

/**
 * The Location header of a redirect, as Istio configures it (`route.go` ApplyRedirect) and Envoy
 * builds it (`config_impl.cc` newUri, processRequestHost): `uri` replaces the whole path and keeps
 * the request's query unless it has its own; `prefixRewrite` replaces the matched prefix;
 * `authority` replaces the host; `port` or `derivePort: FROM_REQUEST_PORT` sets the port, with
 * :80 on http and :443 on https left out; without a new port, the request's port is kept unless it
 * was the default one of a scheme being changed.
 */
export function redirectLocation(redirect: CompiledRedirect, match: CompiledMatch | undefined, request: RedirectSource): string {
  const scheme = redirect.scheme ?? request.scheme
  const port = redirect.port ?? (redirect.derivePort === 'FROM_REQUEST_PORT' ? request.port : undefined)
  const portText = port === undefined || DEFAULT_PORTS[scheme] === port ? '' : `:${port}`
  // Deliberate difference: Istio zeroes a default port, so Envoy would then keep the request's own
  // port (`http://a:9080` redirected to port 80 stays on 9080); meshlet honours the port asked for.
  const host = redirect.authority ?? requestHost(request.authority, request.scheme, scheme, port !== undefined)
  return `${scheme}://${host}${portText}${redirectPath(redirect, match, request)}`
}

function redirectPath(redirect: CompiledRedirect, match: CompiledMatch | undefined, request: RedirectSource): string {
  const query = request.query === '' ? '' : `?${request.query}`
  let path: string
  if (redirect.uri !== undefined) {
    path = redirect.uri.includes('?') ? redirect.uri : redirect.uri + query
  } else if (redirect.prefixRewrite !== undefined && redirect.pathSeparated === true && match?.uri?.kind === 'prefix') {
    path = replacePrefix(request.path, match.uri.value, redirect.prefixRewrite) + query
  } else if (redirect.prefixRewrite !== undefined) {
    path = redirect.prefixRewrite + request.path.slice(matchedPrefixLength(match, request.path)) + query
  } else {
    path = request.path + query
  }
  return path.startsWith('/') ? path : `/${path}`
}

/** Envoy's processRequestHost: drop the request's port when a new one is set or it was the old scheme's default. */
function requestHost(authority: string, requestScheme: string, newScheme: string, newPort: boolean): string {
  const portStart = authority.startsWith('[') ? authority.indexOf(']:') + 1 : authority.lastIndexOf(':')
  if (portStart <= 0) return authority
  const requestPort = authority.slice(portStart)
  const dropForScheme = newScheme !== requestScheme && requestPort === `:${DEFAULT_PORTS[requestScheme] ?? ''}`
  return newPort || dropForScheme ? authority.slice(0, portStart) : authority
}
