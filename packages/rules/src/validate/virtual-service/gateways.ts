import type { Field } from '../field.js'
import { checkDns1123Label, checkDns1123Labels } from '../common/host.js'
import { readStringList } from './scope.js'

/**
 * Gateway references, top-level and per match (`validation.go` validateGatewayNames): `mesh`, a
 * gateway name, or `<namespace>/<name>` where both parts are DNS-1123 labels (so `ns/*` and
 * `*\/name` are rejected). A bare dotted name is the legacy `name.namespace` form and warns.
 *
 * Istio stops at the first name without a `/` (it returns from the loop), so names after it are not
 * checked; meshlet does the same so that it never rejects what Istio accepts.
 */
export function validateGatewayNames(field: Field): string[] {
  const gateways = readStringList(field)
  for (const { value, field: gatewayField } of gateways) {
    const slash = value.indexOf('/')
    if (slash === -1) {
      if (value.includes('.')) {
        const [name, namespace] = value.split('.')
        gatewayField.warn('GATEWAY_LEGACY_FORMAT', `"${value}" uses the legacy gateway name format; prefer <namespace>/<name>: "${namespace}/${name}"`)
      }
      const problem = checkDns1123Labels(value)
      if (problem) gatewayField.error('GATEWAY_INVALID', `invalid gateway name: ${problem}; use "mesh", "<name>" or "<namespace>/<name>"`)
      break
    }
    const namespace = value.slice(0, slash)
    const name = value.slice(slash + 1)
    if (namespace === '' || name === '') {
      gatewayField.error('GATEWAY_INVALID', `"${value}": gateway namespace and name must not be empty; write "<namespace>/<name>"`)
      continue
    }
    if (checkDns1123Label(namespace)) gatewayField.error('GATEWAY_INVALID', `"${value}": invalid namespace "${namespace}" (a DNS-1123 label; wildcards are not allowed)`)
    if (checkDns1123Label(name)) gatewayField.error('GATEWAY_INVALID', `"${value}": invalid gateway name "${name}" (a DNS-1123 label; wildcards are not allowed)`)
  }
  return gateways.map((gateway) => gateway.value)
}
