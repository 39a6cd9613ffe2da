import { isIpAddress } from '../../validate/common/host.js'
import type { MeshIdentity, ResolvedAuthority } from '../snapshot.js'

/** Bound on remembered authorities (see HostIndex): the per-request path then does no string work. */
const AUTHORITY_CACHE_LIMIT = 10_000

/** Splits `host:port`, `[v6]:port` or a bare host; lower-cases and drops a trailing dot. */
export function splitAuthority(authority: string): { readonly name: string; readonly port: number | undefined } {
  const text = authority.trim().toLowerCase()
  let name = text
  let portText = ''
  if (text.startsWith('[')) {
    const close = text.indexOf(']')
    if (close !== -1) {
      name = text.slice(1, close)
      if (text.charCodeAt(close + 1) === 58 /* : */) portText = text.slice(close + 2)
    }
  } else {
    const colon = text.indexOf(':')
    // More than one colon without brackets is a bare IPv6 address, not host:port.
    if (colon !== -1 && colon === text.lastIndexOf(':')) {
      name = text.slice(0, colon)
      portText = text.slice(colon + 1)
    }
  }
  if (name.length > 1 && name.endsWith('.')) name = name.slice(0, -1)
  const port = /^\d{1,5}$/.test(portText) && Number(portText) <= 65535 ? Number(portText) : undefined
  return { name, port }
}

/**
 * Normalises what a caller wrote the way Istio's Kubernetes host aliases do (`httproute.go`
 * generateAltVirtualHostsForKubernetesService, reference §1): `name` is the service in the caller's
 * own namespace; `name.ns` and `name.ns.svc` stand for the FQDN when the snapshot knows that FQDN;
 * anything else is kept as written. Results are cached per authority string.
 */
export function createAuthorityResolver(identity: MeshIdentity, isKnownHost: (fqdn: string) => boolean): (authority: string) => ResolvedAuthority {
  const cache = new Map<string, ResolvedAuthority>()
  const resolve = (authority: string): ResolvedAuthority => {
    const { name, port } = splitAuthority(authority)
    return Object.freeze({ host: expandAlias(name, identity, isKnownHost), port, name })
  }
  return (authority) => {
    const cached = cache.get(authority)
    if (cached) return cached
    const resolved = resolve(authority)
    if (cache.size >= AUTHORITY_CACHE_LIMIT) cache.clear()
    cache.set(authority, resolved)
    return resolved
  }
}

function expandAlias(name: string, identity: MeshIdentity, isKnownHost: (fqdn: string) => boolean): string {
  if (name === '' || name.startsWith('*') || isIpAddress(name)) return name
  const labels = name.split('.')
  if (labels.length === 1) return `${name}.${identity.namespace}.svc.${identity.domain}`
  let candidate: string | undefined
  if (labels.length === 2) candidate = `${name}.svc.${identity.domain}`
  else if (labels.length === 3 && labels[2] === 'svc') candidate = `${name}.${identity.domain}`
  return candidate !== undefined && isKnownHost(candidate) ? candidate : name
}
