import type { Field } from '../field.js'

/**
 * Warnings for rules that can never match, as Istio's webhook gives them (`validation.go`
 * analyzeUnreachableHTTPRules; `route.go` stops emitting routes after the first catch-all):
 * a rule after a rule without matches, a rule whose every match repeats an earlier one, and a match
 * whose uri prefix is covered by an earlier prefix match with the same other conditions (Istio's
 * overlap check treats a missing method as GET).
 */
export function analyzeUnreachableHttpRules(httpField: Field): void {
  const routes = Array.isArray(httpField.value) ? httpField.value : []
  const firstRuleOfMatch = new Map<string, number>()
  const prefixMatches: PrefixMatch[] = []
  let catchAll = -1
  routes.forEach((route, ruleIndex) => {
    if (!isRecord(route)) return
    const ruleField = httpField.at(ruleIndex)
    const rule = ruleName(route, ruleIndex)
    const matches = Array.isArray(route.match) ? route.match : []
    if (matches.length === 0) {
      if (catchAll >= 0) ruleField.warn('UNREACHABLE_RULE', `rule ${rule} is never used: rule ${ruleName(routes[catchAll], catchAll)} before it has no match and takes every request; only the last rule may have no match`)
      catchAll = ruleIndex
      return
    }
    if (catchAll >= 0) {
      ruleField.warn('UNREACHABLE_RULE', `rule ${rule} is never used: rule ${ruleName(routes[catchAll], catchAll)} before it has no match and takes every request; move this rule above it`)
      return
    }
    let duplicates = 0
    matches.forEach((match, matchIndex) => {
      const key = matchKey(match)
      const earlier = firstRuleOfMatch.get(key)
      if (earlier !== undefined) {
        httpField.at(ruleIndex).at('match').at(matchIndex).warn(
          'INEFFECTIVE_MATCH',
          `match ${requestName(match, matchIndex)} of rule ${rule} is never used: rule ${ruleName(routes[earlier], earlier)} has the same match`,
        )
        duplicates++
        return
      }
      firstRuleOfMatch.set(key, ruleIndex)
      const prefix = toPrefixMatch(match, rule, matchIndex, httpField.at(ruleIndex).at('match').at(matchIndex))
      if (prefix) prefixMatches.push(prefix)
    })
    if (duplicates === matches.length) ruleField.warn('UNREACHABLE_RULE', `rule ${rule} is never used: every match is used by earlier rules`)
  })
  for (let a = 0; a < prefixMatches.length; a++) {
    for (let b = a + 1; b < prefixMatches.length; b++) {
      const earlier = prefixMatches[a]!
      const later = prefixMatches[b]!
      if (later.prefix === earlier.prefix || !covers(earlier, later)) continue
      later.field.warn(
        'INEFFECTIVE_MATCH',
        `match ${later.match} (prefix "${later.prefix}") of rule ${later.rule} is never used: match ${earlier.match} (prefix "${earlier.prefix}") of rule ${earlier.rule} comes first and takes the same requests`,
      )
    }
  }
}

interface PrefixMatch {
  readonly rule: string
  readonly match: string
  readonly field: Field
  readonly prefix: string
  readonly port: number
  readonly method: string
  readonly authority: string
  readonly headers: ReadonlyMap<string, string>
  readonly queryParams: ReadonlyMap<string, string>
  readonly withoutHeaders: ReadonlyMap<string, string>
}

/** Istio's genMatchHTTPRoutes: only matches with a non-empty uri prefix take part in the overlap check. */
function toPrefixMatch(match: unknown, rule: string, matchIndex: number, field: Field): PrefixMatch | undefined {
  if (!isRecord(match) || !isRecord(match.uri) || typeof match.uri.prefix !== 'string' || match.uri.prefix === '') return undefined
  return {
    rule,
    match: requestName(match, matchIndex),
    field,
    prefix: match.uri.prefix,
    port: typeof match.port === 'number' ? match.port : 0,
    method: exactOrPrefix(match.method) || 'exact:GET',
    authority: exactOrPrefix(match.authority),
    headers: conditionMap(match.headers),
    queryParams: conditionMap(match.queryParams),
    withoutHeaders: conditionMap(match.withoutHeaders),
  }
}

/** Istio's coveredValidation: does `earlier` take every request `later` would match? */
function covers(earlier: PrefixMatch, later: PrefixMatch): boolean {
  if (!later.prefix.startsWith(earlier.prefix) || later.port !== earlier.port) return false
  if (earlier.method !== later.method && !earlier.method.startsWith(later.method)) return false
  if (earlier.authority !== later.authority && !earlier.authority.startsWith(later.authority)) return false
  return sameConditions(earlier.headers, later.headers) && sameConditions(earlier.queryParams, later.queryParams) && sameConditions(earlier.withoutHeaders, later.withoutHeaders)
}

function sameConditions(earlier: ReadonlyMap<string, string>, later: ReadonlyMap<string, string>): boolean {
  if (earlier.size !== later.size) return false
  for (const [key, value] of earlier) {
    const other = later.get(key)
    if (other === undefined || (value !== other && !value.startsWith(other))) return false
  }
  return true
}

function exactOrPrefix(value: unknown): string {
  if (!isRecord(value)) return ''
  if (typeof value.exact === 'string' && value.exact !== '') return `exact:${value.exact}`
  if (typeof value.prefix === 'string' && value.prefix !== '') return `prefix:${value.prefix}`
  return ''
}

function conditionMap(value: unknown): Map<string, string> {
  const out = new Map<string, string>()
  if (isRecord(value)) for (const [key, entry] of Object.entries(value)) out.set(key, exactOrPrefix(entry))
  return out
}

/** Identity of a match for duplicate detection: its routing fields, without `name` and unset values. */
function matchKey(match: unknown): string {
  if (!isRecord(match)) return JSON.stringify(match)
  const routing: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(match)) {
    if (key === 'name' || value === undefined || value === null || value === false || value === 0 || value === '') continue
    if (typeof value === 'object' && Object.keys(value).length === 0 && !['uri', 'scheme', 'method', 'authority'].includes(key)) continue
    routing[key] = value
  }
  return canonicalJson(routing)
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isRecord(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function ruleName(route: unknown, index: number): string {
  return isRecord(route) && typeof route.name === 'string' && route.name !== '' ? `"${route.name}"` : `#${index}`
}

function requestName(match: unknown, index: number): string {
  return isRecord(match) && typeof match.name === 'string' && match.name !== '' ? `"${match.name}"` : `#${index}`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
