import { isIpAddress } from '../../validate/common/host.js'

/**
 * Istio's ResolveShortnameToFQDN (`istio:pilot/pkg/model/config.go`, reference §1): a host with no
 * dot gets `.<namespace of the rule>.svc.<domain>`; anything with a dot is taken as already fully
 * qualified (`reviews.prod` stays as written); `*` and IP literals are left alone.
 */
export function resolveShortName(host: string, namespace: string, domain: string): string {
  // DNS names are case-insensitive, and requests are looked up in lower case.
  const name = host.toLowerCase()
  if (name === '' || name === '*' || name.includes('.') || isIpAddress(name)) return name
  return `${name}.${namespace}.svc.${domain}`
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*')
}
