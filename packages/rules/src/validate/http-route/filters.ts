import type { Field } from '../field.js'
import { readEnum, readInt, readList, readObject, readString } from '../common/read.js'
import { readPortNumber } from '../common/port.js'
import { readHeaderName, readHostname } from '../common/gateway-api.js'
import { validateBackendObjectReference } from './backend-refs.js'

export const FILTER_TYPES = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS', 'ExtensionRef'] as const
type FilterType = (typeof FILTER_TYPES)[number]

/** The field that carries each filter type's settings. */
const SETTINGS_FIELD: Readonly<Record<FilterType, string>> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  RequestMirror: 'requestMirror',
  CORS: 'cors',
  ExtensionRef: 'extensionRef',
}
/** Filters that may appear once in a list (the API's CEL: every type but RequestMirror and ExtensionRef). */
const ONCE: readonly FilterType[] = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'CORS']
const MAX_FILTERS = 16
/** Redirect codes the API accepts (301 and 302 standard; 303, 307, 308 in newer releases). */
export const REDIRECT_STATUS_CODES = [301, 302, 303, 307, 308] as const

export interface FilterSummary {
  readonly types: readonly FilterType[]
  /** A URLRewrite or RequestRedirect replaces the matched prefix (needs a PathPrefix match). */
  readonly replacesPrefix: Field | undefined
}

/**
 * A `filters` list (rule or backendRef level; `gwapi:apis/v1/httproute_types.go` HTTPRouteFilter
 * and its CEL): the type's own field set and no other; RequestRedirect and URLRewrite exclusive;
 * each type once except RequestMirror and ExtensionRef. `onBackend` refuses RequestRedirect on a
 * backendRef, where the API does not allow it.
 */
export function validateFilters(field: Field, options: { readonly onBackend?: boolean } = {}): FilterSummary {
  const filters = readList(field)
  if (filters.length > MAX_FILTERS) field.error('RANGE', `at most ${MAX_FILTERS} filters`)
  const types: FilterType[] = []
  let replacesPrefix: Field | undefined
  for (const filter of filters) {
    if (!readObject(filter, ['type', ...Object.values(SETTINGS_FIELD)])) continue
    if (!filter.at('type').present) {
      filter.at('type').error('REQUIRED', `type is required: one of ${FILTER_TYPES.join(', ')}`)
      continue
    }
    const type = readEnum(filter.at('type'), FILTER_TYPES)
    if (type === undefined) continue
    if (ONCE.includes(type) && types.includes(type)) filter.at('type').error('FILTER_REPEATED', `${type} may appear only once in a filters list`)
    types.push(type)
    for (const [other, key] of Object.entries(SETTINGS_FIELD)) {
      if (other !== type && filter.at(key).present) filter.at(key).error('FILTER_FIELD_MISMATCH', `${key} must not be set when type is ${type}`)
    }
    const settings = filter.at(SETTINGS_FIELD[type])
    if (!settings.present) {
      filter.at(SETTINGS_FIELD[type]).error('REQUIRED', `${SETTINGS_FIELD[type]} must be set when type is ${type}`)
      continue
    }
    switch (type) {
      case 'RequestHeaderModifier':
      case 'ResponseHeaderModifier':
        validateHeaderFilter(settings)
        break
      case 'RequestRedirect':
        if (options.onBackend) filter.at('type').error('FILTER_NOT_ALLOWED', 'RequestRedirect is not allowed on a backendRef; put it on the rule')
        if (validateRedirect(settings)) replacesPrefix = settings.at('path')
        break
      case 'URLRewrite':
        if (validateRewrite(settings)) replacesPrefix = settings.at('path')
        break
      case 'RequestMirror':
        validateMirror(settings)
        break
      case 'CORS':
      case 'ExtensionRef':
        break
    }
  }
  if (types.includes('RequestRedirect') && types.includes('URLRewrite')) {
    field.error('FILTER_CONFLICT', 'a rule may have a RequestRedirect or a URLRewrite filter, not both')
  }
  return { types, replacesPrefix }
}

function validateHeaderFilter(field: Field): void {
  if (!readObject(field, ['set', 'add', 'remove'])) return
  for (const key of ['set', 'add'] as const) {
    const seen = new Set<string>()
    const list = readList(field.at(key))
    if (list.length > 16) field.at(key).error('RANGE', `at most 16 headers in ${key}`)
    for (const entry of list) {
      if (!readObject(entry, ['name', 'value'])) continue
      const name = readHeaderName(entry.at('name'))
      if (!entry.at('value').present) entry.at('value').error('REQUIRED', 'value is required')
      readString(entry.at('value'))
      if (name === undefined) continue
      if (seen.has(name.toLowerCase())) entry.at('name').error('HEADER_DUPLICATE', `header "${name}" appears twice in ${key}`)
      seen.add(name.toLowerCase())
    }
  }
  const removed = new Set<string>()
  for (const entry of readList(field.at('remove'))) {
    const name = readHeaderName(entry)
    if (name === undefined) continue
    if (removed.has(name.toLowerCase())) entry.error('HEADER_DUPLICATE', `header "${name}" appears twice in remove`)
    removed.add(name.toLowerCase())
  }
}

/** Returns true when the path modifier replaces the matched prefix. */
function validatePathModifier(field: Field): boolean {
  if (!readObject(field, ['type', 'replaceFullPath', 'replacePrefixMatch'])) return false
  const type = readEnum(field.at('type'), ['ReplaceFullPath', 'ReplacePrefixMatch'] as const)
  if (!field.at('type').present) field.at('type').error('REQUIRED', 'type is required: ReplaceFullPath or ReplacePrefixMatch')
  const full = field.at('replaceFullPath')
  const prefix = field.at('replacePrefixMatch')
  if (type === 'ReplaceFullPath') {
    if (!full.present) full.error('REQUIRED', 'replaceFullPath must be set when type is ReplaceFullPath')
    if (prefix.present) prefix.error('FILTER_FIELD_MISMATCH', 'replacePrefixMatch must not be set when type is ReplaceFullPath')
  }
  if (type === 'ReplacePrefixMatch') {
    if (!prefix.present) prefix.error('REQUIRED', 'replacePrefixMatch must be set when type is ReplacePrefixMatch')
    if (full.present) full.error('FILTER_FIELD_MISMATCH', 'replaceFullPath must not be set when type is ReplacePrefixMatch')
  }
  for (const value of [full, prefix]) {
    const text = readString(value)
    if (text !== undefined && text.length > 1024) value.error('RANGE', 'at most 1024 characters')
    if (text !== undefined && text !== '' && !text.startsWith('/')) value.error('PATH_INVALID', `"${text}" must start with "/"`)
  }
  return type === 'ReplacePrefixMatch'
}

function validateRedirect(field: Field): boolean {
  if (!readObject(field, ['scheme', 'hostname', 'path', 'port', 'statusCode'])) return false
  readEnum(field.at('scheme'), ['http', 'https'] as const)
  readHostname(field.at('hostname'), { precise: true })
  readPortNumber(field.at('port'))
  const code = readInt(field.at('statusCode'))
  if (code !== undefined && !(REDIRECT_STATUS_CODES as readonly number[]).includes(code)) {
    field.at('statusCode').error('ENUM', `statusCode ${code} is not one of ${REDIRECT_STATUS_CODES.join(', ')}`)
  }
  return validatePathModifier(field.at('path'))
}

function validateRewrite(field: Field): boolean {
  if (!readObject(field, ['hostname', 'path'])) return false
  readHostname(field.at('hostname'), { precise: true })
  return validatePathModifier(field.at('path'))
}

function validateMirror(field: Field): void {
  if (!readObject(field, ['backendRef', 'percent', 'fraction'])) return
  if (!field.at('backendRef').present) field.at('backendRef').error('REQUIRED', 'backendRef is required: the Service to mirror to')
  validateBackendObjectReference(field.at('backendRef'))
  readInt(field.at('percent'), { min: 0, max: 100 })
  const fraction = field.at('fraction')
  if (field.at('percent').present && fraction.present) fraction.error('FILTER_FIELD_MISMATCH', 'percent and fraction are exclusive; set one')
  if (readObject(fraction, ['numerator', 'denominator'])) {
    const numerator = readInt(fraction.at('numerator'), { min: 0 })
    if (!fraction.at('numerator').present) fraction.at('numerator').error('REQUIRED', 'numerator is required')
    const denominator = readInt(fraction.at('denominator'), { min: 1 }) ?? 100
    if (numerator !== undefined && numerator > denominator) fraction.at('numerator').error('RANGE', `numerator ${numerator} must not exceed denominator ${denominator}`)
  }
}
