import type { Field } from '../field.js'
import { parseGoDuration } from './duration.js'
import { describe, readString } from './read.js'

/**
 * Value rules shared by the Gateway API kinds, from the CRD schema's patterns
 * (`gwapi:apis/v1/shared_types.go`): hostnames are lower-case RFC 1123 names with an optional
 * `*.` first label; object names are DNS-1123 subdomains; header names are RFC 7230 tokens;
 * durations are GEP-2257 strings (`1h`, `500ms`, `1m30s`: at most four parts, no decimals).
 */

const PRECISE_HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/
const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** A listener or route hostname (wildcard `*.` prefix allowed unless `precise`); reports and returns it. */
export function readHostname(field: Field, options: { readonly precise?: boolean } = {}): string | undefined {
  const value = readString(field)
  if (value === undefined) return undefined
  const pattern = options.precise ? PRECISE_HOSTNAME : HOSTNAME
  if (value.length < 1 || value.length > 253 || !pattern.test(value)) {
    field.error(
      'HOSTNAME_INVALID',
      `"${value}" is not a valid hostname: lower-case letters, digits, '-' and '.'${options.precise ? '' : ', with an optional "*." first label'} (an IP address is not allowed)`,
    )
    return undefined
  }
  return value
}

/** A Kubernetes object name (DNS-1123 subdomain, ≤ 253). `what` names it in the message. */
export function readObjectName(field: Field, what: string, required = true): string | undefined {
  if (!field.present) {
    if (required) field.error('REQUIRED', `${what} is required`)
    return undefined
  }
  const value = readString(field)
  if (value === undefined) return undefined
  if (value.length < 1 || value.length > 253 || !SECTION_NAME.test(value)) {
    field.error('NAME_INVALID', `${what} "${value}" is not a valid Kubernetes name (lower-case letters, digits, '-' and '.')`)
    return undefined
  }
  return value
}

/** A namespace reference (DNS-1123 label, ≤ 63). */
export function readNamespaceName(field: Field): string | undefined {
  const value = readString(field)
  if (value === undefined) return undefined
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    field.error('NAME_INVALID', `namespace "${value}" is not a valid DNS-1123 label`)
    return undefined
  }
  return value
}

export function readSectionName(field: Field): string | undefined {
  return readObjectName(field, 'sectionName', false)
}

/** An HTTP header name (RFC 7230 token, 1..256). */
export function readHeaderName(field: Field): string | undefined {
  const value = readString(field)
  if (value === undefined) {
    if (!field.present) field.error('REQUIRED', 'name is required')
    return undefined
  }
  if (value.length < 1 || value.length > 256 || !HEADER_NAME.test(value)) {
    field.error('HEADER_NAME_INVALID', `"${value}" is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~)`)
    return undefined
  }
  return value
}

/** A Gateway API duration (GEP-2257): returns milliseconds; `0s` is 0. */
export function readGatewayApiDuration(field: Field): number | undefined {
  if (!field.present) return undefined
  if (typeof field.value !== 'string' || !GATEWAY_API_DURATION.test(field.value)) {
    field.error('DURATION', `must be a Gateway API duration such as "10s", "500ms" or "1m30s" (whole numbers, units h, m, s, ms), got ${describe(field.value)}`)
    return undefined
  }
  const parsed = parseGoDuration(field.value)
  return 'ns' in parsed ? parsed.ns / 1e6 : undefined
}

/** `group` of a reference: the core group is written "" (or left out). */
export function readGroup(field: Field): string | undefined {
  const value = readString(field)
  if (value === undefined) return undefined
  if (value !== '' && (value.length > 253 || !SECTION_NAME.test(value))) {
    field.error('GROUP_INVALID', `group "${value}" is not a valid API group ("" for the core group)`)
    return undefined
  }
  return value
}

/** `kind` of a reference (a CamelCase kind name). */
export function readKindName(field: Field): string | undefined {
  const value = readString(field)
  if (value === undefined) return undefined
  if (!/^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(value) || value.length > 63) {
    field.error('KIND_INVALID', `kind "${value}" is not a valid kind name`)
    return undefined
  }
  return value
}
