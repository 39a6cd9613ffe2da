import type { StringMatch } from '../spec/common.js'
import type { HTTPMatchRequest } from '../spec/virtual-service.js'
import type { CompiledMatch, HeaderMatcher, HeaderSource, QueryParamMatcher } from '../compile/snapshot.js'
import { compileStringMatcher, isPresenceMatch } from './string-matcher.js'

/**
 * Compiles the per-request part of one HTTPMatchRequest. `sourceLabels`, `sourceNamespace` and
 * `gateways` are decided at compile time by the caller and do not appear here.
 */
export function compileMatchEntry(spec: HTTPMatchRequest): CompiledMatch {
  const headers: HeaderMatcher[] = []
  for (const [name, match] of entries(spec.headers)) headers.push(headerMatcher(name, match, false))
  for (const [name, match] of entries(spec.withoutHeaders)) headers.push(headerMatcher(name, match, true))
  // Envoy sorts header matchers by name (`route.go` TranslateRouteMatch); the order has no effect on
  // the result, but a stable order keeps compiles identical.
  headers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.invert) - Number(b.invert)))
  const queryParams: QueryParamMatcher[] = entries(spec.queryParams).map(([name, match]) => ({
    name,
    match: compileStringMatcher(match),
  }))
  return {
    name: spec.name || undefined,
    port: typeof spec.port === 'number' && spec.port > 0 ? spec.port : undefined,
    uri: spec.uri ? compileStringMatcher(spec.uri, { ignoreCase: spec.ignoreUriCase === true }) : undefined,
    scheme: spec.scheme ? compileStringMatcher(spec.scheme) : undefined,
    method: spec.method ? compileStringMatcher(spec.method) : undefined,
    authority: spec.authority ? compileStringMatcher(spec.authority) : undefined,
    headers,
    queryParams,
  }
}

function headerMatcher(name: string, match: StringMatch, invert: boolean): HeaderMatcher {
  const lower = name.toLowerCase()
  return {
    name: lower,
    source: PSEUDO_HEADER_SOURCES.get(lower) ?? 'header',
    match: compileStringMatcher(match),
    invert,
    // Istio sets treat_missing_header_as_empty on withoutHeaders, except for the presence form.
    missingAsEmpty: invert && !isPresenceMatch(match),
  }
}

/** The pseudo-headers a match may name (the webhook accepts these and no other). */
const PSEUDO_HEADER_SOURCES: ReadonlyMap<string, HeaderSource> = new Map<string, HeaderSource>([
  [':method', ':method'],
  [':authority', ':authority'],
  [':scheme', ':scheme'],
  [':path', ':path'],
  [':status', ':status'],
])

function entries(map: Readonly<Record<string, StringMatch>> | undefined): Array<[string, StringMatch]> {
  return map ? Object.entries(map) : []
}

/**
 * A match entry Envoy treats as catch-all (`route.go` IsCatchAllRoute): no header, query, method,
 * scheme or authority condition and a uri of prefix "/" or regex ".*" (or none). An entry bound to
 * one port is not catch-all for the others, so it does not end the route table.
 */
export function isCatchAllEntry(match: CompiledMatch): boolean {
  if (match.port !== undefined || match.headers.length > 0 || match.queryParams.length > 0) return false
  if (match.method || match.scheme || match.authority) return false
  const uri = match.uri
  if (!uri || uri.kind === 'present') return true
  return (uri.kind === 'prefix' && uri.value === '/') || (uri.kind === 'regex' && uri.value === '.*')
}
