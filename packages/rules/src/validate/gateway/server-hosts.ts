import type { Field } from '../field.js'
import { checkDns1123Label, checkWildcardDomain } from '../common/host.js'
import { readStringList } from '../virtual-service/scope.js'

/**
 * `servers[].hosts` (`validation.go` validateNamespaceSlashWildcardHostname with gateway
 * semantics): `host` or `namespace/host`, where namespace is `*`, `.` or a DNS-1123 label and host
 * is `*` or a domain with an optional wildcard first label. At least one host is required.
 */
export function validateServerHosts(field: Field): void {
  const hosts = readStringList(field)
  if (hosts.length === 0) {
    field.error('GATEWAY_SERVER_HOSTS_REQUIRED', 'server config must contain at least one host, e.g. "*" or "bookinfo.example.com"')
    return
  }
  for (const { value, field: hostField } of hosts) {
    const problem = checkServerHost(value)
    if (problem) hostField.error('GATEWAY_SERVER_HOST_INVALID', problem)
  }
}

export function checkServerHost(value: string): string | undefined {
  const slash = value.indexOf('/')
  const namespace = slash === -1 ? undefined : value.slice(0, slash)
  const host = slash === -1 ? value : value.slice(slash + 1)
  if (namespace !== undefined) {
    if (namespace === '') return `"${value}": the namespace before "/" is empty; write "<namespace>/<host>", "./<host>" or "*/<host>"`
    if (namespace !== '*' && namespace !== '.' && checkDns1123Label(namespace)) {
      return `"${value}": namespace "${namespace}" is not "*", "." or a DNS-1123 label`
    }
  }
  if (host === '*') return undefined
  const problem = checkWildcardDomain(host)
  return problem ? `"${value}": ${problem}` : undefined
}
