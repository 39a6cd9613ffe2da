import type { Field } from '../field.js'
import { readBool, readEnum, readList, readObject } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import { readStringMatch } from '../common/string-match.js'
import { checkCorsHeaderName } from '../common/http-header.js'
import { readStringList, reportNullItem } from './scope.js'

/** Methods Istio accepts in allowMethods (`validation.go` supportedCORSMethods: Go's net/http methods and `*`). */
const CORS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*'])

const CORS_KEYS = [
  'allowOrigins', 'allowOrigin', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'allowCredentials', 'unmatchedPreflights',
] as const

/**
 * `CorsPolicy` (`validation.go` validateCORSPolicy): each allowOrigins entry a non-empty string match
 * (regex RE2); allowMethods upper-case HTTP methods or `*`; header names tokens or `*`; maxAge a
 * whole number of seconds.
 */
export function validateCors(field: Field): void {
  if (!readObject(field, CORS_KEYS, 'an object like {allowOrigins: [{exact: "https://example.com"}]}')) return
  for (const origin of readList(field.at('allowOrigins'))) {
    if (!reportNullItem(origin, 'an allowed origin')) readStringMatch(origin, { requireValue: true })
  }
  if (field.at('allowOrigin').present) {
    readStringList(field.at('allowOrigin'))
    field.at('allowOrigin').warn('DEPRECATED', 'allowOrigin is deprecated; use allowOrigins: [{exact: "https://example.com"}]')
  }
  for (const { value, field: methodField } of readStringList(field.at('allowMethods'))) {
    if (!CORS_METHODS.has(value)) methodField.error('CORS_METHOD_INVALID', `"${value}" is not a supported HTTP method; use upper-case GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, CONNECT, TRACE or *`)
  }
  for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
    for (const { value, field: headerField } of readStringList(field.at(key))) {
      const problem = checkCorsHeaderName(value)
      if (problem) headerField.error('HEADER_NAME_INVALID', problem)
    }
  }
  readDuration(field.at('maxAge'), { wholeSeconds: true })
  readBool(field.at('allowCredentials'))
  readEnum(field.at('unmatchedPreflights'), ['UNSPECIFIED', 'FORWARD', 'IGNORE'])
}
