import type { Field } from '../field.js'
import { checkWildcardDomain, isIpAddress } from '../common/host.js'
import { readStringList } from './scope.js'

/**
 * `spec.hosts` (`validation.go` ValidateVirtualService): each a domain with an optional wildcard
 * first label, or an IP address; `*` alone only when the VirtualService is bound to gateways and not
 * to `mesh`; no two hosts may overlap (`a.foo.com` and `*.foo.com`, or `*.foo.com` and `*.com`).
 * Returns the host names.
 */
export function validateHosts(field: Field, appliesToMesh: boolean): string[] {
  const hosts = readStringList(field)
  let allValid = true
  for (const { value, field: hostField } of hosts) {
    const problem = checkWildcardDomain(value)
    if (problem) {
      if (isIpAddress(value)) continue
      hostField.error('HOST_INVALID', `${problem}; use a service name such as "reviews", "reviews.prod.svc.cluster.local" or "*.example.com"`)
      allValid = false
    } else if (appliesToMesh && value === '*') {
      hostField.error('HOST_WILDCARD_MESH', 'host "*" is not allowed for a VirtualService that applies to the mesh (sidecars and meshlet); name the hosts it routes')
      allValid = false
    }
  }
  // Istio compares hosts only once every host is valid.
  if (allValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (hostsOverlap(hosts[i]!.value, hosts[j]!.value)) {
          hosts[j]!.field.error('HOST_DUPLICATE', `host "${hosts[j]!.value}" overlaps host "${hosts[i]!.value}" of the same VirtualService; keep only one of them`)
        }
      }
    }
  }
  return hosts.map((host) => host.value)
}

/**
 * Istio's host.Name Matches: a wildcard matches every name ending with its suffix (after `*`); two
 * wildcards match when one suffix ends with the other; plain names must be equal.
 */
export function hostsOverlap(a: string, b: string): boolean {
  const aWild = a.startsWith('*')
  const bWild = b.startsWith('*')
  if (aWild && bWild) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1))
  if (aWild) return b.endsWith(a.slice(1))
  if (bWild) return a.endsWith(b.slice(1))
  return a === b
}

/** Istio's host.Name SubsetOf: every name `sub` matches is also matched by `of`. */
export function hostIsSubsetOf(sub: string, of: string): boolean {
  if (sub.startsWith('*')) return of.startsWith('*') && sub.slice(1).endsWith(of.slice(1))
  if (of.startsWith('*')) return sub.endsWith(of.slice(1))
  return sub === of
}
