import type { Field } from '../field.js'
import { readList, readString } from '../common/read.js'
import { checkWildcardDomain, isCidr, isIpAddress } from '../common/host.js'

const MAX_HOSTS = 256
const MAX_ADDRESSES = 256

/**
 * `hosts` (`validation.go` ValidateServiceEntry; CRD minItems 1, maxItems 256, CEL "hostname
 * cannot be wildcard"): `*` alone is forbidden, a wildcard only as the first label or its prefix;
 * a partial wildcard such as `*foo.com` is accepted with a warning. Returns the hosts read.
 */
export function validateServiceHosts(field: Field): string[] {
  if (!field.present || (Array.isArray(field.value) && field.value.length === 0)) {
    field.error('REQUIRED', 'hosts is required: list at least one host name, e.g. hosts: [api.example.com]')
    return []
  }
  const items = readList(field)
  if (items.length > MAX_HOSTS) field.error('RANGE', `at most ${MAX_HOSTS} hosts are allowed, got ${items.length}`)
  const hosts: string[] = []
  for (const item of items) {
    const host = readString(item)
    if (host === undefined) continue
    hosts.push(host)
    if (host === '*') {
      item.error('SE_HOST_WILDCARD_ALL', 'a ServiceEntry host cannot be "*" alone; use a domain wildcard such as "*.example.com"')
      continue
    }
    const problem = checkWildcardDomain(host)
    if (problem) item.error('SE_HOST_INVALID', problem)
    else if (host.includes('*') && !host.startsWith('*.')) {
      item.warn('SE_HOST_PARTIAL_WILDCARD', `partial wildcard "${host}" is not recommended; write "*.${host.slice(1).replace(/^[-.]/, '')}" to match subdomains`)
    }
  }
  return hosts
}

/**
 * `addresses`: IPs or CIDR blocks (`agent/validation.go` ValidateIPSubnet); a CIDR only with NONE
 * or STATIC resolution (CRD CEL). Returns whether any address is given.
 */
export function validateServiceAddresses(field: Field, resolution: string): boolean {
  const items = readList(field)
  if (items.length > MAX_ADDRESSES) field.error('RANGE', `at most ${MAX_ADDRESSES} addresses are allowed, got ${items.length}`)
  for (const item of items) {
    const address = readString(item)
    if (address === undefined) continue
    if (address.includes('/')) {
      if (!isCidr(address)) item.error('SE_ADDRESS_INVALID', `"${address}" is not a valid CIDR block, e.g. 10.0.0.0/16`)
      else if (resolution !== 'NONE' && resolution !== 'STATIC') {
        item.error('SE_CIDR_RESOLUTION', `CIDR addresses are only allowed with resolution NONE or STATIC, not ${resolution}`)
      }
    } else if (!isIpAddress(address)) {
      item.error('SE_ADDRESS_INVALID', `"${address}" is not a valid IP address; addresses are virtual IPs or CIDR blocks, host names belong in hosts`)
    }
  }
  return items.length > 0
}
