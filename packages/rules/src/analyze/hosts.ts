import { isIpAddress } from '../validate/common/host.js'

/**
 * Host names the way Istio resolves them (reference §1, `istio:pilot/pkg/model/config.go`
 * ResolveShortnameToFQDN): a name with no dot gets `.<namespace of the rule>.svc.<domain>`; a name
 * with a dot is already fully qualified (`reviews.prod` is NOT expanded); `*` and IP literals stay
 * as written. Compared lower-case, as DNS names are.
 */
export function resolveHost(host: string, namespace: string, domain: string): string {
  const lower = host.toLowerCase()
  if (lower === '' || lower === '*' || lower.includes('.') || isIpAddress(lower)) return lower
  return `${lower}.${namespace}.svc.${domain}`
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*')
}

/**
 * Istio's wildcard test (`istio:pkg/config/host/name.go`): `*.foo.com` matches `a.foo.com` and
 * `a.b.foo.com` but not `foo.com`; `*` matches everything; other hosts match only themselves.
 */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true
  if (!isWildcardHost(pattern)) return false
  return host.endsWith(pattern.slice(1))
}

/** A Kubernetes service name (`name.namespace.svc.<domain>`), which only the cluster can declare. */
export function isKubernetesServiceHost(host: string, domain: string): boolean {
  return host.endsWith(`.svc.${domain}`) || host.endsWith(`.svc.${domain}.`)
}

export function isIpHost(host: string): boolean {
  return isIpAddress(host)
}
