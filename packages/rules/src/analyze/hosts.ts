import { isIpAddress } from '../validate/common/host.js'
import { isWildcardHost } from '../compile/hosts/fqdn.js'

/**
 * Host names the way Istio resolves them (reference §1, ResolveShortnameToFQDN): the compiler's
 * resolver, so that analysis and the compiled snapshot always agree on what a name means. A name
 * with no dot gets `.<namespace of the rule>.svc.<domain>`; `reviews.prod` is NOT expanded.
 */
export { resolveShortName as resolveHost, isWildcardHost } from '../compile/hosts/fqdn.js'

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
