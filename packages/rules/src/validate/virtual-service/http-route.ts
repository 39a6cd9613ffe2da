import type { Field } from '../field.js'
import { readList, readObject, readString } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import type { StringMatchValue } from '../common/string-match.js'
import type { VirtualServiceScope } from './scope.js'
import { listLength, reportNullItem } from './scope.js'
import { validateHttpMatch } from './match.js'
import { validateRouteDestinations } from './destination.js'
import { validateAuthorityRewrittenOnce, validateHeaderOperations } from './headers.js'
import { validateRedirect } from './redirect.js'
import { validateDirectResponse } from './direct-response.js'
import { validateRewrite } from './rewrite.js'
import { validateRetries } from './retries.js'
import { validateFault } from './fault.js'
import { validateMirroring } from './mirror.js'
import { validateCors } from './cors.js'

const HTTP_ROUTE_KEYS = [
  'name', 'match', 'route', 'redirect', 'directResponse', 'delegate', 'rewrite', 'timeout', 'retries', 'fault',
  'mirror', 'mirrors', 'mirrorPercentage', 'mirrorPercent', 'mirror_percent', 'corsPolicy', 'headers',
] as const

/** One `HTTPRoute` (`virtualservice.go` validateHTTPRoute). */
export function validateHttpRoute(field: Field, scope: VirtualServiceScope): void {
  if (reportNullItem(field, 'an http route')) return
  if (!readObject(field, HTTP_ROUTE_KEYS, 'an object like {route: [{destination: {host: reviews}}]}')) return
  readString(field.at('name'))
  validateActions(field, scope)

  const uriMatches: Array<{ match: StringMatchValue; index: number }> = []
  readList(field.at('match')).forEach((matchField, index) => {
    const uri = validateHttpMatch(matchField, scope)
    if (uri !== undefined && matchField.at('uri').present) uriMatches.push({ match: uri, index })
  })

  const authorityHeaders = validateHeaderOperations(field.at('headers'))
  validateCors(field.at('corsPolicy'))
  validateFault(field.at('fault'))
  validateMirroring(field)
  validateRedirect(field.at('redirect'), uriMatches)
  validateDirectResponse(field.at('directResponse'))
  validateRetries(field.at('retries'))
  const rewriteAuthority = validateRewrite(field.at('rewrite'))
  validateAuthorityRewrittenOnce(rewriteAuthority, authorityHeaders)
  validateRouteDestinations(field.at('route'), { withHeaders: true })
  // `0s` is rejected like any duration under 1 ms: omit timeout to disable it.
  readDuration(field.at('timeout'))
  const delegate = field.at('delegate')
  if (readObject(delegate, ['name', 'namespace'], 'an object like {name: reviews-routes, namespace: prod}')) {
    readString(delegate.at('name'))
    readString(delegate.at('namespace'))
  }
}

/**
 * Exactly one action (`virtualservice.go` validateHTTPRouteConflict): forward (`route`), `redirect`,
 * `directResponse`, or in a root VirtualService `delegate`. A redirect or direct response answers
 * the request itself, so fault injection and rewrites cannot apply to it.
 */
function validateActions(field: Field, scope: VirtualServiceScope): void {
  const has = (key: string) => field.at(key).present
  const routeCount = listLength(field.at('route'))
  if (has('delegate') && !scope.isDelegate) {
    // A root route hands the request to the delegate VirtualService and may only add policies.
    for (const key of ['route', 'redirect'] as const) {
      if (has(key)) field.at(key).error('ROOT_ROUTE_CONFLICT', `a route with delegate must not also set ${key}; the delegate VirtualService decides where requests go`)
    }
    return
  }
  if (has('delegate')) {
    field.at('delegate').error('DELEGATE_NESTED', 'a delegate VirtualService (one without hosts) cannot delegate again; delegation is one level deep')
  }
  const conflicts = (action: 'redirect' | 'directResponse', others: readonly string[]) => {
    for (const other of others) {
      const present = other === 'route' ? routeCount > 0 : has(other)
      if (present) field.at(other).error('ROUTE_ACTION_CONFLICT', `${other} cannot be combined with ${action}: ${action} answers the request without forwarding it; remove one of them`)
    }
  }
  if (has('redirect')) conflicts('redirect', ['route', 'fault', 'rewrite', 'directResponse'])
  else if (has('directResponse')) conflicts('directResponse', ['route', 'fault', 'rewrite'])
  else if (routeCount === 0) {
    field.error('ROUTE_ACTION_REQUIRED', 'an http route needs an action: route (forward to destinations), redirect or directResponse')
  }
  if (has('mirror') && listLength(field.at('mirrors')) > 0) {
    field.at('mirrors').error('MIRROR_CONFLICT', 'set either mirror or mirrors, not both; move the mirror into mirrors')
  }
}
