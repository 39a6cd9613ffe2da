import { isIpAddress } from '@meshlet/core'

/**
 * Host and label syntax, as Istio's validator checks it (reference §1, `agent/validation.go`
 * ValidateWildcardDomain, ValidateDNS1123Labels). Each function returns an error message or
 * undefined. Istio accepts uppercase letters in labels.
 */

const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/
const WILDCARD_PREFIX_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/
const MAX_HOST_LENGTH = 255
const MAX_LABEL_LENGTH = 63

export function checkDns1123Label(value: string): string | undefined {
  if (value.length > MAX_LABEL_LENGTH) return `"${value}" is longer than ${MAX_LABEL_LENGTH} characters`
  if (!DNS1123_LABEL.test(value)) return `"${value}" is not a valid DNS-1123 label (letters, digits and '-', starting and ending with a letter or digit)`
  return undefined
}

/** A full domain: labels, a top-level label that is not all digits, an optional trailing dot. */
export function checkDns1123Labels(domain: string): string | undefined {
  if (domain === '') return 'domain name is empty'
  if (domain.length > MAX_HOST_LENGTH) return `domain name "${domain.slice(0, 40)}…" is longer than ${MAX_HOST_LENGTH} characters`
  const labels = (domain.endsWith('.') ? domain.slice(0, -1) : domain).split('.')
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!
    if (label === '') return `domain name "${domain}" has an empty label`
    const problem = checkDns1123Label(label)
    if (problem) return `domain name "${domain}" invalid: label ${problem}`
    if (i === labels.length - 1 && /^\d+$/.test(label)) return `domain name "${domain}" invalid: top level domain "${label}" may not be all numeric`
  }
  return undefined
}

/** `*`, `*.foo.com`, `*foo.com`, `*-foo.com`, or a plain domain; `foo.*.com` is not allowed. */
export function checkWildcardDomain(domain: string): string | undefined {
  if (domain === '') return 'domain name is empty'
  if (domain.length > MAX_HOST_LENGTH) return `domain name "${domain.slice(0, 40)}…" is longer than ${MAX_HOST_LENGTH} characters`
  const dot = domain.indexOf('.')
  const first = dot === -1 ? domain : domain.slice(0, dot)
  if (first.length > MAX_LABEL_LENGTH || !WILDCARD_PREFIX_LABEL.test(first)) {
    return `domain name "${domain}" invalid (label "${first}" invalid; a wildcard may only be the whole first label or its prefix, as in "*.example.com")`
  }
  if (dot === -1) return undefined
  const rest = domain.slice(dot + 1)
  if (rest.includes('*')) return `domain name "${domain}" invalid: a wildcard is only allowed in the first label`
  return checkDns1123Labels(rest)
}

export { isIpAddress }

/** An IPv4 or IPv6 CIDR block (ServiceEntry addresses, endpoints). */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/')
  if (slash === -1) return false
  const address = value.slice(0, slash)
  const bits = value.slice(slash + 1)
  if (!/^\d{1,3}$/.test(bits)) return false
  const max = address.includes(':') ? 128 : 32
  return isIpAddress(address) && Number(bits) <= max
}
