/**
 * Kubernetes label syntax, which Istio checks for subset labels, workload selectors and
 * sourceLabels (`istio:pkg/config/labels/instance.go`). Each returns an error message or undefined.
 */

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

export function checkLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/')
  const prefix = slash === -1 ? undefined : key.slice(0, slash)
  const name = slash === -1 ? key : key.slice(slash + 1)
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `invalid label key "${key}": the prefix must be a DNS-1123 subdomain`
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `invalid label key "${key}": the name must be 63 characters or fewer, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`
  }
  return undefined
}

export function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined
  if (value.length > 63 || !QUALIFIED_NAME.test(value)) {
    return `invalid label value "${value}": must be 63 characters or fewer, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`
  }
  return undefined
}
