import type { CompiledMatch, CompiledRewrite } from '../compile/snapshot.js'

/**
 * The path (query kept) the request is forwarded with, Envoy's rewrite rules (reference §5):
 * `uri` is prefix_rewrite, replacing the matched prefix, or the whole path after an exact or regex
 * match; a route with no uri condition matches the prefix "/". `uriRegex` rewrites the path only.
 */
export function rewritePath(rewrite: CompiledRewrite | undefined, match: CompiledMatch | undefined, path: string, query: string): string {
  let newPath = path
  if (rewrite?.uriRegex) newPath = rewrite.uriRegex.apply(path)
  else if (rewrite?.uri !== undefined) newPath = rewrite.uri + path.slice(matchedPrefixLength(match, path))
  return query === '' ? newPath : `${newPath}?${query}`
}

/** How much of the path the match consumed, for prefix replacement. */
export function matchedPrefixLength(match: CompiledMatch | undefined, path: string): number {
  const uri = match?.uri
  if (!uri || uri.kind === 'present') return Math.min(1, path.length) // Istio's default match is prefix "/"
  if (uri.kind === 'prefix') return uri.value.length
  return path.length
}
