import type { Field } from '../field.js'
import { readEnum, readList, readObject, readString } from '../common/read.js'
import { checkRe2 } from '../common/regex.js'
import { readHeaderName } from '../common/gateway-api.js'

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const
const MAX_HEADER_MATCHES = 16
const MAX_PATH_LENGTH = 1024

/** What the rule-level checks need to know about a match. */
export interface MatchSummary {
  readonly pathType: 'Exact' | 'PathPrefix' | 'RegularExpression'
}

/**
 * One `matches[]` entry (`gwapi:apis/v1/httproute_types.go` HTTPRouteMatch and its CEL): the path
 * type Exact, PathPrefix (the default, value "/") or RegularExpression (RE2 in meshlet, as in Istio);
 * Exact and PathPrefix values are absolute paths without `//`, `/./`, `/../`, `%2f`, `#` and not
 * ending in `/.` or `/..`; headers and query parameters Exact (default) or RegularExpression, each
 * name once, at most 16; method one of the HTTP methods.
 */
export function validateMatch(field: Field): MatchSummary {
  if (!readObject(field, ['path', 'headers', 'queryParams', 'method'])) return { pathType: 'PathPrefix' }
  const path = field.at('path')
  let pathType: MatchSummary['pathType'] = 'PathPrefix'
  if (readObject(path, ['type', 'value'])) {
    pathType = readEnum(path.at('type'), ['Exact', 'PathPrefix', 'RegularExpression'] as const) ?? 'PathPrefix'
    const value = readString(path.at('value'))
    if (value !== undefined) checkPathValue(path.at('value'), value, pathType)
  }
  validateNamedMatches(field.at('headers'), 'header')
  validateNamedMatches(field.at('queryParams'), 'query parameter')
  readEnum(field.at('method'), HTTP_METHODS)
  return { pathType }
}

function checkPathValue(field: Field, value: string, type: MatchSummary['pathType']): void {
  if (value.length > MAX_PATH_LENGTH) field.error('RANGE', `path value may be at most ${MAX_PATH_LENGTH} characters`)
  if (type === 'RegularExpression') {
    const problem = checkRe2(value)
    if (problem) field.error('REGEX_INVALID', problem)
    return
  }
  if (!value.startsWith('/')) return field.error('PATH_INVALID', `"${value}" must be an absolute path starting with "/"`)
  for (const part of ['//', '/./', '/../', '%2f', '%2F', '#']) {
    if (value.includes(part)) return field.error('PATH_INVALID', `"${value}" must not contain "${part}"`)
  }
  if (value.endsWith('/..') || value.endsWith('/.')) field.error('PATH_INVALID', `"${value}" must not end with "/." or "/.."`)
}

function validateNamedMatches(field: Field, what: string): void {
  const list = readList(field)
  if (list.length > MAX_HEADER_MATCHES) field.error('RANGE', `at most ${MAX_HEADER_MATCHES} ${what} matches`)
  const names = new Map<string, number>()
  list.forEach((entry, index) => {
    if (!readObject(entry, ['type', 'name', 'value'])) return
    const type = readEnum(entry.at('type'), ['Exact', 'RegularExpression'] as const) ?? 'Exact'
    const name = readHeaderName(entry.at('name'))
    if (!entry.at('value').present) entry.at('value').error('REQUIRED', `value is required for a ${what} match`)
    const value = readString(entry.at('value'))
    if (value !== undefined && type === 'RegularExpression') {
      const problem = checkRe2(value)
      if (problem) entry.at('value').error('REGEX_INVALID', problem)
    }
    if (name === undefined) return
    // Header names are case-insensitive; query parameter names are not.
    const key = what === 'header' ? name.toLowerCase() : name
    const first = names.get(key)
    if (first !== undefined) entry.at('name').error('MATCH_NAME_DUPLICATE', `${what} "${name}" is already matched by entry [${first}]; each name may be matched once`)
    else names.set(key, index)
  })
}
