import type { CompiledMatch, CompiledRoute, HeaderMatcher, QueryParamMatcher } from '../compile/snapshot.js'
import { findQueryParam } from '../match/query.js'
import type { RouteRequest } from './request.js'

/**
 * The first entry of the route that the request satisfies, or undefined. A catch-all route (no
 * match block) matches with `null`. Entries are OR-ed; the conditions inside one are AND-ed.
 */
export function matchRoute(route: CompiledRoute, request: RouteRequest): CompiledMatch | null | undefined {
  const matches = route.matches
  if (matches === undefined) return null
  for (let i = 0; i < matches.length; i++) {
    if (matchesEntry(matches[i]!, request)) return matches[i]
  }
  return undefined
}

export function matchesEntry(match: CompiledMatch, request: RouteRequest): boolean {
  if (match.port !== undefined && match.port !== request.port) return false
  if (match.uri !== undefined && !match.uri.test(request.path)) return false
  if (match.method !== undefined && !match.method.test(request.method)) return false
  if (match.scheme !== undefined && !match.scheme.test(request.scheme)) return false
  if (match.authority !== undefined && !match.authority.test(request.authority)) return false
  const headers = match.headers
  for (let i = 0; i < headers.length; i++) {
    if (!matchesHeader(headers[i]!, headerValue(headers[i]!, request))) return false
  }
  const params = match.queryParams
  for (let i = 0; i < params.length; i++) {
    if (!matchesQueryParam(params[i]!, request.query)) return false
  }
  return true
}

/** A header's value, or the request line's part a pseudo-header names (resolved at compile time). */
function headerValue(matcher: HeaderMatcher, request: RouteRequest): string | undefined {
  switch (matcher.source) {
    case 'header':
      return request.header(matcher.name)
    case ':method':
      return request.method
    case ':authority':
      return request.authority
    case ':scheme':
      return request.scheme
    case ':path':
      return request.pathWithQuery
    case ':status':
      return undefined
  }
}

/**
 * Envoy's HeaderMatcher: a missing header fails any value match (and passes the presence test only
 * when inverted), unless it is to be read as the empty string; `invert` flips the outcome.
 */
function matchesHeader(matcher: HeaderMatcher, value: string | undefined): boolean {
  let matched: boolean
  if (matcher.match.kind === 'present') matched = value !== undefined
  else if (value === undefined && !matcher.missingAsEmpty) matched = false
  else matched = matcher.match.test(value ?? '')
  return matcher.invert ? !matched : matched
}

function matchesQueryParam(matcher: QueryParamMatcher, query: string): boolean {
  const value = findQueryParam(query, matcher.name)
  if (value === undefined) return false
  return matcher.match.test(value)
}
