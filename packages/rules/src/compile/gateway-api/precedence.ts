import type { RawResource } from '../../source/resource.js'
import type { RouteCandidate } from './http-route.js'

/**
 * The Gateway API's order between matches of every route for one hostname (`gwapi` HTTPRouteRule
 * docs; Istio's sortHTTPRoutes): an Exact path before a PathPrefix before a RegularExpression, a
 * longer value first; then a match with a method; then more header matches; then more query
 * parameter matches; then the oldest route, then `namespace/name`; then rule and match order.
 */
export function sortByPrecedence(candidates: readonly RouteCandidate[]): RouteCandidate[] {
  return [...candidates].sort(compareCandidates)
}

const PATH_RANK: Readonly<Record<string, number>> = { Exact: 3, PathPrefix: 2, RegularExpression: 1 }

function compareCandidates(a: RouteCandidate, b: RouteCandidate): number {
  const pathA = a.match.path ?? { type: 'PathPrefix', value: '/' }
  const pathB = b.match.path ?? { type: 'PathPrefix', value: '/' }
  const rank = (PATH_RANK[pathB.type ?? 'PathPrefix'] ?? 0) - (PATH_RANK[pathA.type ?? 'PathPrefix'] ?? 0)
  if (rank !== 0) return rank
  const length = effectiveLength(pathB) - effectiveLength(pathA)
  if (length !== 0) return length
  const method = Number(b.match.method !== undefined) - Number(a.match.method !== undefined)
  if (method !== 0) return method
  const headers = (b.match.headers?.length ?? 0) - (a.match.headers?.length ?? 0)
  if (headers !== 0) return headers
  const params = (b.match.queryParams?.length ?? 0) - (a.match.queryParams?.length ?? 0)
  if (params !== 0) return params
  if (a.resource !== b.resource) {
    const age = compareRoutes(a.resource, b.resource)
    if (age !== 0) return age
  }
  return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex
}

/** A PathPrefix's trailing slash does not count (`/foo/` and `/foo` are the same prefix). */
function effectiveLength(path: { type?: string; value?: string }): number {
  const value = path.value ?? '/'
  return path.type === 'PathPrefix' && value.length > 1 && value.endsWith('/') ? value.length - 1 : value.length
}

/** The oldest route first (creationTimestamp), then `namespace/name` alphabetically, then load order. */
function compareRoutes(a: RawResource, b: RawResource): number {
  const timeA = timestampMs(a.creationTimestamp)
  const timeB = timestampMs(b.creationTimestamp)
  if (timeA !== timeB) return timeA - timeB
  const nameA = `${a.namespace}/${a.name}`
  const nameB = `${b.namespace}/${b.name}`
  if (nameA !== nameB) return nameA < nameB ? -1 : 1
  return a.loadIndex - b.loadIndex
}

function timestampMs(text: string | undefined): number {
  const ms = text === undefined ? NaN : Date.parse(text)
  return Number.isNaN(ms) ? Number.MIN_SAFE_INTEGER : ms
}
