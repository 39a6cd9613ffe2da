import type { HTTPRewrite } from '../../spec/virtual-service.js'
import type { CompiledRewrite } from '../snapshot.js'
import { compileRe2 } from '../../match/re2.js'

/**
 * `rewrite` (reference §5): `uri` is Envoy's prefix_rewrite; `uriRegexRewrite` is Envoy's
 * regex_rewrite, an RE2 global substitution over the path with `\0`..`\9` group references; the
 * authority comes from `rewrite.authority`, else from a `:authority`/`host` header operation
 * (`route.go` applyHTTPRouteDestination).
 */
export function compileRewrite(spec: HTTPRewrite | undefined, headerAuthority: string | undefined): CompiledRewrite | undefined {
  const uri = spec?.uri || undefined
  const regex = spec?.uriRegexRewrite
  const uriRegex = regex?.match !== undefined && regex.match !== '' ? compileRegexRewrite(regex.match, regex.rewrite ?? '') : undefined
  const authority = spec?.authority || headerAuthority || undefined
  if (uri === undefined && uriRegex === undefined && authority === undefined) return undefined
  return { uri: uriRegex ? undefined : uri, uriRegex, authority }
}

type RewritePart = string | number

/**
 * Turns RE2's rewrite string into parts once, at compile time: `\N` is group N, `\\` a backslash;
 * every other character is literal. Applying it is then a replacer callback, with no parsing and
 * no `$` escaping questions per request.
 */
export function parseRe2Rewrite(rewrite: string): RewritePart[] {
  const parts: RewritePart[] = []
  let literal = ''
  for (let i = 0; i < rewrite.length; i++) {
    const char = rewrite[i]!
    const next = rewrite[i + 1]
    if (char === '\\' && next !== undefined && /[0-9]/.test(next)) {
      if (literal !== '') parts.push(literal)
      literal = ''
      parts.push(Number(next))
      i++
    } else if (char === '\\' && next === '\\') {
      literal += '\\'
      i++
    } else {
      literal += char
    }
  }
  if (literal !== '') parts.push(literal)
  return parts
}

function compileRegexRewrite(match: string, rewrite: string): NonNullable<CompiledRewrite['uriRegex']> {
  const program = compileRe2(match)
  const groupCount = program.groupCount()
  // A reference past the last group is empty, as in RE2 (the callback's later arguments are the
  // offset and the input, never a group).
  const parts = parseRe2Rewrite(rewrite).map((part) => (typeof part === 'number' && part > groupCount ? '' : part))
  const replacer = (...args: unknown[]): string => {
    let out = ''
    for (const part of parts) out += typeof part === 'string' ? part : ((args[part] as string | undefined) ?? '')
    return out
  }
  return { match, rewrite, apply: (path) => program.matcher(path).replaceAll(replacer) }
}
