import type { Field } from '../field.js'
import { readObject, readString } from '../common/read.js'
import { checkRe2 } from '../common/regex.js'
import { checkAuthorityField, checkPathField } from '../common/request-line.js'

/**
 * `HTTPRewrite` (`validation.go` validateHTTPRewrite, validateURIRegexRewrite): at least one of
 * `uri`, `uriRegexRewrite` or `authority`; `uri` and `uriRegexRewrite` are exclusive;
 * `uriRegexRewrite` needs both `match` (RE2) and `rewrite`. Returns `authority` when set.
 */
export function validateRewrite(field: Field): string | undefined {
  if (!readObject(field, ['uri', 'authority', 'uriRegexRewrite'], 'an object like {uri: /v2/}')) return undefined
  const uri = readString(field.at('uri')) ?? ''
  const authority = readString(field.at('authority')) ?? ''
  checkPathField(field.at('uri'), uri, 'rewrite.uri')
  checkAuthorityField(field.at('authority'), authority, 'rewrite.authority')
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
    checkPathField(regexRewrite.at('rewrite'), rewrite, 'uriRegexRewrite.rewrite')
  }
  return authority === '' ? undefined : authority
}
