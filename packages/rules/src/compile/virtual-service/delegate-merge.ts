import type { StringMatch } from '../../spec/common.js'
import type { HTTPMatchRequest, HTTPRoute } from '../../spec/virtual-service.js'

/**
 * Merges one delegate route into the root route that delegates to it (Istio's mergeHTTPRoute,
 * `istio:pilot/pkg/config/kube/...virtualservice` / reference §5). Returns undefined when the
 * delegate's matches cannot be narrowed from the root's, in which case Istio drops that route.
 * Fields the delegate leaves out are inherited from the root; names join as `root-delegate`.
 */
export function mergeDelegateRoute(root: HTTPRoute, delegate: HTTPRoute): HTTPRoute | undefined {
  const match = mergeMatches(root.match ?? [], delegate.match ?? [])
  if (match === undefined) return undefined
  return {
    ...delegate,
    delegate: undefined,
    match: match.length > 0 ? match : undefined,
    name: joinNames(root.name, delegate.name),
    rewrite: delegate.rewrite ?? root.rewrite,
    directResponse: delegate.directResponse ?? root.directResponse,
    timeout: delegate.timeout ?? root.timeout,
    retries: delegate.retries ?? root.retries,
    fault: delegate.fault ?? root.fault,
    mirror: delegate.mirror ?? root.mirror,
    mirrorPercent: delegate.mirrorPercent ?? root.mirrorPercent,
    mirrorPercentage: delegate.mirrorPercentage ?? root.mirrorPercentage,
    mirrors: delegate.mirrors ?? root.mirrors,
    corsPolicy: delegate.corsPolicy ?? root.corsPolicy,
    headers: delegate.headers ?? root.headers,
  }
}

function joinNames(root: string | undefined, delegate: string | undefined): string | undefined {
  if (!delegate) return root
  return root ? `${root}-${delegate}` : delegate
}

/**
 * Each delegate match must fit inside at least one root match; it is merged with every root match
 * it fits. With no matches on either side the other side's are used as they are.
 */
function mergeMatches(root: readonly HTTPMatchRequest[], delegate: readonly HTTPMatchRequest[]): HTTPMatchRequest[] | undefined {
  if (root.length === 0) return [...delegate]
  if (delegate.length === 0) return [...root]
  const merged: HTTPMatchRequest[] = []
  for (const leaf of delegate) {
    const fitting = root.filter((parent) => !matchesConflict(parent, leaf))
    if (fitting.length === 0) return undefined
    for (const parent of fitting) merged.push(mergeMatch(parent, leaf))
  }
  return merged
}

function mergeMatch(root: HTTPMatchRequest, leaf: HTTPMatchRequest): HTTPMatchRequest {
  return {
    ...leaf,
    name: joinNames(root.name, leaf.name),
    uri: leaf.uri ?? root.uri,
    scheme: leaf.scheme ?? root.scheme,
    method: leaf.method ?? root.method,
    authority: leaf.authority ?? root.authority,
    headers: mergeMaps(root.headers, leaf.headers),
    withoutHeaders: mergeMaps(root.withoutHeaders, leaf.withoutHeaders),
    queryParams: mergeMaps(root.queryParams, leaf.queryParams),
    port: leaf.port || root.port,
    sourceLabels: mergeMaps(root.sourceLabels, leaf.sourceLabels),
    sourceNamespace: leaf.sourceNamespace || root.sourceNamespace,
    gateways: leaf.gateways && leaf.gateways.length > 0 ? leaf.gateways : root.gateways,
    statPrefix: leaf.statPrefix || root.statPrefix,
  }
}

function mergeMaps<V>(root: Record<string, V> | undefined, leaf: Record<string, V> | undefined): Record<string, V> | undefined {
  if (!root && !leaf) return undefined
  return { ...(root ?? {}), ...(leaf ?? {}) }
}

/** The leaf asks for something the root excludes (Istio's hasConflict). */
function matchesConflict(root: HTTPMatchRequest, leaf: HTTPMatchRequest): boolean {
  if (stringConflict(root.uri, leaf.uri) || stringConflict(root.scheme, leaf.scheme)) return true
  if (stringConflict(root.method, leaf.method) || stringConflict(root.authority, leaf.authority)) return true
  for (const [maps, leafMaps] of [
    [root.headers, leaf.headers],
    [root.withoutHeaders, leaf.withoutHeaders],
    [root.queryParams, leaf.queryParams],
  ] as const) {
    for (const [key, value] of Object.entries(leafMaps ?? {})) if (stringConflict(maps?.[key], value)) return true
  }
  if ((root.ignoreUriCase ?? false) !== (leaf.ignoreUriCase ?? false)) return true
  if (root.port && leaf.port && root.port !== leaf.port) return true
  if (root.sourceNamespace && leaf.sourceNamespace !== root.sourceNamespace) return true
  for (const [key, value] of Object.entries(leaf.sourceLabels ?? {})) {
    const rootValue = root.sourceLabels?.[key]
    if (rootValue !== undefined && rootValue !== value) return true
  }
  if (root.gateways?.length && leaf.gateways?.length) {
    if (!leaf.gateways.every((gateway) => root.gateways!.includes(gateway))) return true
  }
  return false
}

/** Istio's stringMatchConflict: the leaf must narrow the root (same exact, or a longer prefix). */
function stringConflict(root: StringMatch | undefined, leaf: StringMatch | undefined): boolean {
  if (!root || !leaf) return false
  if (root.regex) return Boolean(leaf.regex || leaf.prefix || leaf.exact)
  if (leaf.regex) return Boolean(root.prefix || root.exact)
  if (root.exact) return Boolean(leaf.prefix) || leaf.exact !== root.exact
  if (root.prefix) {
    if (leaf.prefix) return !leaf.prefix.startsWith(root.prefix)
    if (leaf.exact) return !leaf.exact.startsWith(root.prefix)
  }
  return true
}
