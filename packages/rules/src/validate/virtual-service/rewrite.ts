import type { Field } from '../field.js'
import { readObject, readString } from '../common/read.js'
import { checkRe2 } from '../common/regex.js'
import { checkAuthorityValue, checkPathValue } from '../common/request-line.js'

/**
 * `HTTPRewrite` (`validation.go` validateHTTPRewrite, validateURIRegexRewrite): at least one of
 * `uri`, `uriRegexRewrite` or `authority`; `uri` and `uriRegexRewrite` are exclusive;
 * `uriRegexRewrite` needs both `match` (RE2) and `rewrite`. Returns `authority` when set.
 */
export function validateRewrite(field: Field): string | undefined {
  if (!readObject(field, ['uri', 'authority', 'uriRegexRewrite'], 'an object like {uri: /v2/}')) return undefined
  const uri = readString(field.at('uri')) ?? ''
  const authority = readString(field.at('authority')) ?? ''
  checkValue(field.at('uri'), uri, checkPathValue(uri, 'rewrite.uri'), 'REQUEST_PATH_INVALID')
  checkValue(field.at('authority'), authority, checkAuthorityValue(authority, 'rewrite.authority'), 'AUTHORITY_INVALID')
  const regexRewrite = field.at('uriRegexRewrite')
  const hasRegexRewrite = readObject(regexRewrite, ['match', 'rewrite'], 'an object like {match: "^/old/(.*)", rewrite: "/new/\\\\1"}')
  if (uri !== '' && hasRegexRewrite) {
    regexRewrite.error('REWRITE_CONFLICT', 'set either rewrite.uri or rewrite.uriRegexRewrite, not both')
  }
  if (uri === '' && !hasRegexRewrite && authority === '') {
    field.error('REWRITE_EMPTY', 'a rewrite must set uri, uriRegexRewrite or authority; remove it if nothing should change')
  }
  if (hasRegexRewrite) {
    const match = readString(regexRewrite.at('match')) ?? ''
    const rewrite = readString(regexRewrite.at('rewrite')) ?? ''
    if (match === '' || rewrite === '') {
      regexRewrite.error('REGEX_REWRITE_INCOMPLETE', 'uriRegexRewrite needs both match (an RE2 regex) and rewrite (the replacement, with \\1 for groups)')
    }
    const problem = match === '' ? undefined : checkRe2(match)
    if (problem) regexRewrite.at('match').error('REGEX_INVALID', problem)
    checkValue(regexRewrite.at('rewrite'), rewrite, checkPathValue(rewrite, 'uriRegexRewrite.rewrite'), 'REQUEST_PATH_INVALID')
  }
  return authority === '' ? undefined : authority
}

/** Reports a character problem of a non-empty value (see request-line.ts). */
export function checkValue(field: Field, value: string, problem: string | undefined, code: string): void {
  if (value !== '' && problem !== undefined) field.error(code, problem)
}
