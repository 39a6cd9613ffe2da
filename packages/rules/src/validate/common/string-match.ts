import type { Field } from '../field.js'
import { readObject, readString } from './read.js'
import { checkRe2 } from './regex.js'

/** A validated `StringMatch` (`api:networking/v1alpha3/virtual_service.proto`). */
export type StringMatchValue =
  | { readonly kind: 'exact' | 'prefix' | 'regex'; readonly value: string }
  /** `{}`: no value given; Istio reads it as a presence match where presence makes sense. */
  | { readonly kind: 'any' }

export interface StringMatchRule {
  /**
   * `prefix: ""` is accepted (only `uri`: Envoy's route prefix may be empty, its string matcher's may
   * not; `istio:pkg/config/validation/virtualservice.go` validateHTTPRouteMatchRequest).
   */
  readonly allowEmptyPrefix?: boolean
  /** `regex: "*"` is accepted as a presence match (only `withoutHeaders`, which Istio does not compile). */
  readonly allowStarRegex?: boolean
  /** Every kind must carry a non-empty value (CORS allowOrigins: `validateAllowOrigins`). */
  readonly requireValue?: boolean
}

const KINDS = ['exact', 'prefix', 'regex'] as const

/**
 * Reads a StringMatch: a oneof of exact | prefix | regex (the CRD schema rejects two at once); an
 * empty prefix and an empty regex are rejected and a regex must be valid RE2 of at most 1024
 * characters (`validation.go` validateStringMatch, validateStringRegexp).
 */
export function readStringMatch(field: Field, rule: StringMatchRule = {}): StringMatchValue | undefined {
  if (!readObject(field, KINDS, 'a string match such as {exact: "v"}, {prefix: "/api"} or {regex: "v[0-9]+"}')) return undefined
  const given = KINDS.filter((kind) => field.at(kind).present)
  if (given.length > 1) {
    field.error('ONEOF_CONFLICT', `set only one of exact, prefix or regex (got ${given.join(' and ')})`)
    return undefined
  }
  const kind = given[0]
  if (kind === undefined) {
    if (rule.requireValue) field.error('STRING_MATCH_EMPTY', 'set one of exact, prefix or regex to a non-empty value')
    return { kind: 'any' }
  }
  const valueField = field.at(kind)
  const value = readString(valueField)
  if (value === undefined) return undefined
  if (value === '' && (rule.requireValue || kind === 'regex' || (kind === 'prefix' && !rule.allowEmptyPrefix))) {
    valueField.error('STRING_MATCH_EMPTY', `${kind} must not be empty${kind === 'prefix' ? '; remove the match to match everything' : ''}`)
    return undefined
  }
  if (kind === 'regex' && !(rule.allowStarRegex && value === '*')) {
    const problem = checkRe2(value)
    if (problem) {
      valueField.error('REGEX_INVALID', problem)
      return undefined
    }
  }
  return { kind, value }
}
