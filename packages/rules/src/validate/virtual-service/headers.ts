import type { Field } from '../field.js'
import { readList, readMap, readObject, readString } from '../common/read.js'
import { checkHeaderToken, checkHeaderValue, isAuthorityHeader } from '../common/http-header.js'
import { checkAuthorityField } from '../common/request-line.js'

/** A request header set or added as `:authority` or `host`, which Istio treats as an authority rewrite. */
export interface AuthorityHeader {
  readonly value: string
  readonly field: Field
}

/**
 * `headers: {request, response}: {set, add, remove}` (`virtualservice.go` validateHTTPRoute):
 * names are non-empty; pseudo-headers (`:path`) are rejected, except that request set/add may name
 * `:authority` or `host` (an authority rewrite); `host` may not be removed or used in a response;
 * values must be valid Envoy header formats. Returns the authority headers, in order.
 */
export function validateHeaderOperations(field: Field): AuthorityHeader[] {
  if (!readObject(field, ['request', 'response'], 'an object like {request: {set: {x-a: b}}}')) return []
  const authority: AuthorityHeader[] = []
  for (const direction of ['request', 'response'] as const) {
    const operations = field.at(direction)
    if (!readObject(operations, ['set', 'add', 'remove'], 'an object like {set: {x-a: b}, remove: [x-b]}')) continue
    for (const operation of ['set', 'add'] as const) {
      for (const [name, valueField] of readMap(operations.at(operation))) {
        const value = readString(valueField)
        const problem = direction === 'request' ? checkSettableRequestHeader(name) : checkModifiableHeader(name)
        if (problem) valueField.error('HEADER_OPERATION_INVALID', problem)
        if (value !== undefined) {
          if (direction === 'request' && isAuthorityHeader(name)) {
            checkAuthorityField(valueField, value, `the authority set by "${name}"`)
            authority.push({ value, field: valueField })
          } else {
            const valueProblem = checkHeaderValue(value)
            if (valueProblem) valueField.error('HEADER_VALUE_INVALID', valueProblem)
          }
        }
      }
    }
    for (const nameField of readList(operations.at('remove'))) {
      const name = readString(nameField)
      if (name === undefined) continue
      const problem = checkModifiableHeader(name)
      if (problem) nameField.error('HEADER_OPERATION_INVALID', problem)
    }
  }
  return authority
}

/**
 * Request set/add (`ValidateHTTPHeaderWithAuthorityOperationName`). Istio checks no more than
 * this, but a name that is not an HTTP token cannot be sent (Node's client refuses it, and CR or LF
 * would inject headers), so meshlet requires a token as a header match does.
 */
function checkSettableRequestHeader(name: string): string | undefined {
  if (name === '') return 'header name must not be empty'
  if (name.startsWith(':') && !isAuthorityHeader(name)) return `header "${name}" cannot be set: pseudo-headers other than :authority are managed by the proxy`
  return name.startsWith(':') ? undefined : checkHeaderToken(name)
}

/** Request remove and every response operation (`ValidateHTTPHeaderOperationName`). */
function checkModifiableHeader(name: string): string | undefined {
  if (name === '') return 'header name must not be empty'
  if (name.toLowerCase() === 'host') return 'the Host header cannot be removed or used in a response; rewrite it with rewrite.authority instead'
  if (name.startsWith(':')) return `header "${name}" cannot be changed: pseudo-headers are managed by the proxy`
  return checkHeaderToken(name)
}

/**
 * The authority may be rewritten in one place only: `rewrite.authority` or one request `set`/`add`
 * of `:authority`/`host` (`virtualservice.go` validateAuthorityRewrite).
 */
export function validateAuthorityRewrittenOnce(rewriteAuthority: string | undefined, headers: readonly AuthorityHeader[]): void {
  let current = rewriteAuthority ?? ''
  for (const header of headers) {
    if (current !== '') {
      header.field.error('AUTHORITY_SET_TWICE', `the authority is already rewritten to "${current}"; set it once, either in rewrite.authority or in one request header`)
    }
    current = header.value
  }
}
