import type { Field } from '../field.js'
import { readEnum, readInt, readObject, readString, UINT32_MAX } from '../common/read.js'
import type { StringMatchValue } from '../common/string-match.js'
import { checkAuthorityField, checkPathField } from '../common/request-line.js'

/** Envoy's RedirectAction has response codes for these only (`route.go` ApplyRedirect; route_components.proto). */
const ENVOY_REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

const REDIRECT_KEYS = ['uri', 'prefixRewrite', 'authority', 'port', 'derivePort', 'scheme', 'redirectCode'] as const

/**
 * `HTTPRedirect` (`validation.go` validateHTTPRedirect; `prefixRewrite` from istio/istio#60385):
 * something must change (uri, prefixRewrite, authority, scheme or port); `uri` and `prefixRewrite`
 * are exclusive, and `prefixRewrite` needs every uri match of the route to be a prefix match;
 * `port` and `derivePort` are a oneof; scheme is http or https; redirectCode is 3xx (default 301).
 */
export function validateRedirect(field: Field, uriMatches: ReadonlyArray<{ match: StringMatchValue; index: number }>): void {
  if (!readObject(field, REDIRECT_KEYS, 'an object like {uri: /new, redirectCode: 302}')) return
  const uri = readString(field.at('uri')) ?? ''
  const prefixRewrite = readString(field.at('prefixRewrite')) ?? ''
  const authority = readString(field.at('authority')) ?? ''
  checkPathField(field.at('uri'), uri, 'redirect.uri')
  checkPathField(field.at('prefixRewrite'), prefixRewrite, 'redirect.prefixRewrite')
  checkAuthorityField(field.at('authority'), authority, 'redirect.authority')
  const schemeField = field.at('scheme')
  const scheme = readString(schemeField) ?? ''
  const portField = field.at('port')
  const port = readInt(portField, { min: 0, max: UINT32_MAX })
  const derivePortField = field.at('derivePort')
  readEnum(derivePortField, ['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT'])

  if (uri === '' && prefixRewrite === '' && authority === '' && scheme === '' && !portField.present && !derivePortField.present) {
    field.error('REDIRECT_EMPTY', 'a redirect must change something: set uri, prefixRewrite, authority, scheme, port or derivePort')
  }
  if (uri !== '' && prefixRewrite !== '') {
    field.at('prefixRewrite').error('REDIRECT_CONFLICT', 'set either uri (replaces the whole path) or prefixRewrite (replaces the matched prefix), not both')
  }
  if (prefixRewrite !== '') {
    for (const { match, index } of uriMatches) {
      if (match.kind === 'exact' || match.kind === 'regex') {
        field.at('prefixRewrite').error('REDIRECT_PREFIX_REWRITE_NEEDS_PREFIX_MATCH', `prefixRewrite replaces the matched uri prefix, but match[${index}].uri is a ${match.kind} match; use a prefix match or redirect.uri`)
      }
    }
  }
  if (portField.present && derivePortField.present) {
    derivePortField.error('ONEOF_CONFLICT', 'set either port or derivePort, not both')
  }
  if (port !== undefined && port > 65535) portField.error('RANGE', `port number ${port} must be in the range 1..65535`)
  if (scheme !== '' && scheme !== 'http' && scheme !== 'https') {
    schemeField.error('REDIRECT_SCHEME_INVALID', `redirect scheme "${scheme}" is invalid; use "http" or "https"`)
  }
  const codeField = field.at('redirectCode')
  const code = readInt(codeField, { min: 0, max: UINT32_MAX })
  if (code === undefined || code === 0) return
  if (code < 300 || code > 399) {
    codeField.error('REDIRECT_CODE_INVALID', `${code} is not a redirect code; use a 3xx code such as 301 (the default), 302, 307 or 308`)
  } else if (!ENVOY_REDIRECT_CODES.has(code)) {
    codeField.warn('REDIRECT_CODE_UNSUPPORTED', `Istio accepts ${code} but Envoy only redirects with 301, 302, 303, 307 or 308, so this route gets no action; use one of those`)
  }
}
