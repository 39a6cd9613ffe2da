import type { RawResource } from '../../source/resource.js'
import type { BackendObjectReference, HTTPBackendRef, HTTPHeaderFilter, HTTPRouteFilter, HTTPRouteMatch, HTTPRouteRule, HTTPRouteSpec } from '../../spec/gateway-api.js'
import type { CompiledDestination, CompiledHeaders, CompiledMatch, CompiledMirror, CompiledRedirect, CompiledRetryPolicy, CompiledRewrite, CompiledRoute, HeaderMatcher, HeaderOperations, NoAction, QueryParamMatcher, ResourceRef, RouteAction } from '../snapshot.js'
import { NO_HEADER_OPERATIONS } from '../virtual-service/headers.js'
import { compileRetryPolicy } from '../virtual-service/retry-policy.js'
import { refOf } from '../order.js'
import { exactMatcher, pathPrefixMatcher, regexMatcher, replacePrefix } from './path-match.js'
import type { ReferenceGrants } from './reference-grants.js'

/** Gateway API defaults (`gwapi:apis/v1/httproute_types.go`): backendRef weight 1, redirect 302, path match PathPrefix "/". */
export const HTTP_ROUTE_DEFAULTS = {
  weight: 1,
  redirectStatusCode: 302,
  path: { type: 'PathPrefix', value: '/' },
  /** Istio's translation of `retry` (conversion.go): connection errors always, plus the codes given. */
  retryOn: 'connect-failure,refused-stream,unavailable,cancelled,reset',
  retryAttempts: 2,
} as const

/** Why a backendRef answers 500 instead of being called, as the route's ResolvedRefs condition says it. */
export interface UnresolvedRef {
  readonly reason: 'InvalidKind' | 'RefNotPermitted'
  readonly message: string
}

/** One match of one rule, compiled, with what the API's precedence compares. */
export interface RouteCandidate {
  readonly route: CompiledRoute
  readonly resource: RawResource
  readonly ruleIndex: number
  readonly matchIndex: number
  readonly match: HTTPRouteMatch
}

export interface CompiledHttpRoute {
  readonly candidates: readonly RouteCandidate[]
  readonly unresolved: readonly UnresolvedRef[]
}

/**
 * An HTTPRoute's rules as routes of the compiled table, one per match (the API's precedence orders
 * matches, not rules, and Istio translates each into its own route). A rule with no match has the
 * default PathPrefix "/". Backends are Services (`name.namespace.svc.<domain>` and the port given);
 * another kind, or a namespace no ReferenceGrant opens, answers 500 for its share.
 */
export function compileHttpRoute(resource: RawResource, domain: string, grants: ReferenceGrants): CompiledHttpRoute {
  const spec = resource.spec as HTTPRouteSpec
  const source = refOf(resource)
  const unresolved: UnresolvedRef[] = []
  const candidates: RouteCandidate[] = []
  ;(spec.rules ?? []).forEach((rule, ruleIndex) => {
    if (!rule) return
    const matches = rule.matches && rule.matches.length > 0 ? rule.matches : [{ path: { ...HTTP_ROUTE_DEFAULTS.path } }]
    const shared = compileRuleParts(rule, resource, domain, grants, unresolved)
    matches.forEach((match, matchIndex) => {
      const compiledMatch = compileMatch(match, `${resource.namespace}.${resource.name}.${ruleIndex}.${matchIndex}`)
      const route: CompiledRoute = {
        index: candidates.length,
        name: rule.name || undefined,
        matches: [compiledMatch],
        action: shared.action(compiledMatch),
        rewrite: shared.rewrite(compiledMatch),
        timeoutMs: shared.timeoutMs,
        retries: shared.retries,
        fault: undefined,
        mirrors: shared.mirrors,
        headers: shared.headers,
        cors: undefined,
        delegate: undefined,
        source,
      }
      candidates.push({ route, resource, ruleIndex, matchIndex, match })
    })
  })
  return { candidates, unresolved }
}

function compileMatch(match: HTTPRouteMatch, name: string): CompiledMatch {
  const path = match.path ?? HTTP_ROUTE_DEFAULTS.path
  const value = path.value ?? '/'
  const type = path.type ?? 'PathPrefix'
  const uri = type === 'Exact' ? exactMatcher(value) : type === 'RegularExpression' ? regexMatcher(value) : pathPrefixMatcher(value)
  const headers: HeaderMatcher[] = []
  const seenHeaders = new Set<string>()
  for (const header of match.headers ?? []) {
    const lower = (header.name ?? '').toLowerCase()
    // Only the first entry for a name counts (the API: equivalent names after the first are ignored).
    if (seenHeaders.has(lower)) continue
    seenHeaders.add(lower)
    headers.push({ name: lower, source: 'header', match: header.type === 'RegularExpression' ? regexMatcher(header.value ?? '') : exactMatcher(header.value ?? ''), invert: false })
  }
  const queryParams: QueryParamMatcher[] = []
  const seenParams = new Set<string>()
  for (const param of match.queryParams ?? []) {
    const paramName = param.name ?? ''
    if (seenParams.has(paramName)) continue
    seenParams.add(paramName)
    queryParams.push({ name: paramName, match: param.type === 'RegularExpression' ? regexMatcher(param.value ?? '') : exactMatcher(param.value ?? '') })
  }
  return {
    name,
    port: undefined,
    uri,
    scheme: undefined,
    method: match.method ? exactMatcher(match.method) : undefined,
    authority: undefined,
    headers,
    queryParams,
  }
}

interface RuleParts {
  action(match: CompiledMatch): RouteAction
  rewrite(match: CompiledMatch): CompiledRewrite | undefined
  readonly timeoutMs: number | undefined
  readonly retries: CompiledRetryPolicy
  readonly mirrors: CompiledMirror[]
  readonly headers: CompiledHeaders
}

function compileRuleParts(rule: HTTPRouteRule, resource: RawResource, domain: string, grants: ReferenceGrants, unresolved: UnresolvedRef[]): RuleParts {
  const filters = rule.filters ?? []
  const requestHeaders = filterOf(filters, 'RequestHeaderModifier')?.requestHeaderModifier
  const responseHeaders = filterOf(filters, 'ResponseHeaderModifier')?.responseHeaderModifier
  const redirect = filterOf(filters, 'RequestRedirect')?.requestRedirect
  const urlRewrite = filterOf(filters, 'URLRewrite')?.urlRewrite
  const headers: CompiledHeaders = requestHeaders || responseHeaders ? { request: headerOperations(requestHeaders), response: headerOperations(responseHeaders) } : NO_HEADER_OPERATIONS
  const mirrors: CompiledMirror[] = []
  for (const filter of filters) {
    const mirror = filter?.type === 'RequestMirror' ? filter.requestMirror : undefined
    if (!mirror?.backendRef) continue
    const target = backendTarget(mirror.backendRef, resource, domain, grants)
    if ('unresolved' in target) {
      unresolved.push(target.unresolved)
      continue
    }
    const fraction = mirror.fraction
    const percentage = mirror.percent ?? (fraction ? ((fraction.numerator ?? 0) * 100) / (fraction.denominator ?? 100) : 100)
    if (percentage > 0) mirrors.push({ host: target.host, subset: undefined, port: target.port, percentage })
  }
  const timeouts = rule.timeouts
  const requestMs = timeouts?.request === undefined ? undefined : gatewayDurationMs(timeouts.request)
  const backendMs = timeouts?.backendRequest === undefined ? undefined : gatewayDurationMs(timeouts.backendRequest)
  const retries = ruleRetries(rule, backendMs)
  const destinations = redirect ? undefined : compileBackends(rule.backendRefs ?? [], resource, domain, grants, unresolved)
  return {
    action: (match) => (redirect ? compileRedirect(redirect, match) : destinations!),
    rewrite: (match) => (urlRewrite ? compileRewrite(urlRewrite, match) : undefined),
    // `0s` disables the timeout (the API), as no timeout does.
    timeoutMs: requestMs === 0 ? undefined : requestMs,
    retries,
    mirrors,
    headers,
  }
}

/**
 * Retries: Istio's default policy when the rule has no `retry` (as for a VirtualService route);
 * with one, `attempts` retries on connection failures and the listed codes (the API: an
 * implementation must also retry connection errors), `backoff` as the base interval.
 * `timeouts.backendRequest` bounds each try.
 */
function ruleRetries(rule: HTTPRouteRule, backendMs: number | undefined): CompiledRetryPolicy {
  const perTryTimeout = backendMs !== undefined && backendMs > 0 ? `${backendMs}ms` : undefined
  if (!rule.retry) return compileRetryPolicy(perTryTimeout === undefined ? undefined : { attempts: HTTP_ROUTE_DEFAULTS.retryAttempts, perTryTimeout }, false)
  const codes = (rule.retry.codes ?? []).join(',')
  return compileRetryPolicy(
    {
      attempts: rule.retry.attempts ?? HTTP_ROUTE_DEFAULTS.retryAttempts,
      retryOn: codes === '' ? HTTP_ROUTE_DEFAULTS.retryOn : `${HTTP_ROUTE_DEFAULTS.retryOn},${codes}`,
      ...(rule.retry.backoff ? { backoff: rule.retry.backoff } : {}),
      ...(perTryTimeout ? { perTryTimeout } : {}),
    },
    false,
  )
}

function compileBackends(refs: readonly HTTPBackendRef[], resource: RawResource, domain: string, grants: ReferenceGrants, unresolved: UnresolvedRef[]): RouteAction {
  const destinations: CompiledDestination[] = []
  const cumulativeWeights: number[] = []
  let total = 0
  for (const ref of refs) {
    const weight = ref.weight ?? HTTP_ROUTE_DEFAULTS.weight
    if (weight <= 0) continue
    const target = backendTarget(ref, resource, domain, grants)
    const filters = ref.filters ?? []
    const request = filterOf(filters, 'RequestHeaderModifier')?.requestHeaderModifier
    const response = filterOf(filters, 'ResponseHeaderModifier')?.responseHeaderModifier
    const headers = request || response ? { request: headerOperations(request), response: headerOperations(response) } : NO_HEADER_OPERATIONS
    if ('unresolved' in target) unresolved.push(target.unresolved)
    destinations.push({
      host: 'unresolved' in target ? (ref.name ?? '') : target.host,
      subset: undefined,
      port: 'unresolved' in target ? undefined : target.port,
      weight,
      headers,
      ...('unresolved' in target ? { unresolved: target.unresolved.message } : {}),
    })
    total += weight
    cumulativeWeights.push(total)
  }
  if (destinations.length === 0) {
    // No backend at all (none given, or every weight 0): the API answers 500.
    return { kind: 'directResponse', status: 500, body: undefined, bodyEncoding: 'utf8' }
  }
  return { kind: 'route', destinations, cumulativeWeights, totalWeight: total }
}

/** A backendRef as a Service host and port, or why it does not resolve. */
export function backendTarget(ref: BackendObjectReference, resource: RawResource, domain: string, grants: ReferenceGrants): { host: string; port: number | undefined } | { unresolved: UnresolvedRef } {
  const group = ref.group ?? ''
  const kind = ref.kind ?? 'Service'
  const namespace = ref.namespace || resource.namespace
  const name = ref.name ?? ''
  if (!(group === '' || group === 'core') || kind !== 'Service') {
    return { unresolved: { reason: 'InvalidKind', message: `backendRef ${name} is a ${group === '' ? '' : `${group}/`}${kind}; meshlet sends to Services only` } }
  }
  if (!grants.allows({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: resource.namespace }, { group: '', kind: 'Service', namespace, name })) {
    return { unresolved: { reason: 'RefNotPermitted', message: `backendRef ${namespace}/${name} is in another namespace and no ReferenceGrant in ${namespace} allows HTTPRoutes from ${resource.namespace}` } }
  }
  return { host: `${name}.${namespace}.svc.${domain}`.toLowerCase(), port: ref.port }
}

function compileRedirect(redirect: NonNullable<HTTPRouteFilter['requestRedirect']>, match: CompiledMatch): CompiledRedirect | NoAction {
  const path = redirect.path
  const prefix = path?.type === 'ReplacePrefixMatch' ? path.replacePrefixMatch ?? '/' : undefined
  return {
    kind: 'redirect',
    uri: path?.type === 'ReplaceFullPath' ? path.replaceFullPath ?? '/' : undefined,
    prefixRewrite: prefix,
    pathSeparated: prefix !== undefined && match.uri?.kind === 'prefix' ? true : undefined,
    authority: redirect.hostname,
    scheme: redirect.scheme,
    // The API: with a scheme and no port, the scheme's well-known port (left out of the Location);
    // with neither, the port of the listener the request came in on.
    port: redirect.port ?? (redirect.scheme === 'https' ? 443 : redirect.scheme === 'http' ? 80 : undefined),
    derivePort: redirect.port === undefined && redirect.scheme === undefined ? 'FROM_REQUEST_PORT' : undefined,
    status: redirect.statusCode ?? HTTP_ROUTE_DEFAULTS.redirectStatusCode,
  }
}

function compileRewrite(rewrite: NonNullable<HTTPRouteFilter['urlRewrite']>, match: CompiledMatch): CompiledRewrite | undefined {
  const path = rewrite.path
  let uriRegex: CompiledRewrite['uriRegex']
  if (path?.type === 'ReplaceFullPath') {
    const full = path.replaceFullPath ?? '/'
    uriRegex = { match: '^/.*$', rewrite: full, apply: () => full }
  } else if (path?.type === 'ReplacePrefixMatch') {
    const replacement = path.replacePrefixMatch ?? '/'
    const matched = match.uri?.kind === 'prefix' ? match.uri.value : '/'
    uriRegex = { match: `^${matched}`, rewrite: replacement, apply: (current) => replacePrefix(current, matched, replacement) }
  }
  const authority = rewrite.hostname || undefined
  if (uriRegex === undefined && authority === undefined) return undefined
  return { uri: undefined, uriRegex, authority }
}

function filterOf(filters: readonly HTTPRouteFilter[], type: HTTPRouteFilter['type']): HTTPRouteFilter | undefined {
  return filters.find((filter) => filter?.type === type)
}

function headerOperations(filter: HTTPHeaderFilter | undefined): HeaderOperations {
  const set: Record<string, string> = {}
  const add: Record<string, string> = {}
  for (const entry of filter?.set ?? []) if (entry.name) set[entry.name.toLowerCase()] = entry.value ?? ''
  for (const entry of filter?.add ?? []) if (entry.name) add[entry.name.toLowerCase()] = entry.value ?? ''
  return { set, add, remove: (filter?.remove ?? []).map((name) => name.toLowerCase()) }
}

/** GEP-2257 durations are a subset of Go's; validation already checked the form. */
function gatewayDurationMs(text: string): number {
  let total = 0
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|h|m|s)/g)) total += Number(amount) * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1)
  return total
}

export type { ResourceRef }
