import type { StringMatcher } from '../snapshot.js'
import { compileFullMatch } from '../../match/re2.js'

/**
 * Gateway API PathPrefix (reference §16): matched path element by path element, so `/abc` matches
 * `/abc`, `/abc/` and `/abc/def` but not `/abcdef`; a trailing `/` in the value is ignored (Envoy
 * `path_separated_prefix`, which Istio uses). `value` keeps the prefix without the trailing slash,
 * which is also how much of the path a prefix replacement consumes.
 */
export function pathPrefixMatcher(written: string): StringMatcher {
  const value = written.length > 1 && written.endsWith('/') ? written.slice(0, -1) : written
  if (value === '/') return { kind: 'prefix', value: '/', ignoreCase: false, test: (path) => path.startsWith('/') }
  const length = value.length
  return {
    kind: 'prefix',
    value,
    ignoreCase: false,
    test: (path) => path.startsWith(value) && (path.length === length || path.charCodeAt(length) === 47 /* / */),
  }
}

export function exactMatcher(value: string): StringMatcher {
  return { kind: 'exact', value, ignoreCase: false, test: (input) => input === value }
}

/** RegularExpression: RE2, matching the whole value (as Istio translates it). */
export function regexMatcher(value: string): StringMatcher {
  return { kind: 'regex', value, ignoreCase: false, test: compileFullMatch(value) }
}

/**
 * ReplacePrefixMatch (`gwapi` HTTPPathModifier): the matched prefix is replaced and the path keeps
 * its elements: `/foo` → `/bar` turns `/foo/x` into `/bar/x`; `/foo` → `/` turns `/foo/x` into `/x`
 * and `/foo` into `/`.
 */
export function replacePrefix(path: string, matchedPrefix: string, replacement: string): string {
  const rest = matchedPrefix === '/' ? path.slice(1) : path.slice(matchedPrefix.length)
  const restNoSlash = rest.startsWith('/') ? rest.slice(1) : rest
  const base = replacement.endsWith('/') ? replacement.slice(0, -1) : replacement
  if (restNoSlash === '') return base === '' ? '/' : rest.startsWith('/') && rest.length === 1 ? `${base}/` : base
  return `${base}/${restNoSlash}`
}
