import type { Field } from '../field.js'
import { readEnum, readObject, readString } from '../common/read.js'
import { checkDns1123Labels, isIpAddress } from '../common/host.js'
import { readPortNumber } from '../common/port.js'
import { readRequiredString } from '../common/required.js'

/** `tunnel` (`validation.go` validateTunnelSettings): protocol CONNECT or POST, an FQDN or IP target, a port. */
export function validateTunnel(field: Field): void {
  if (!readObject(field, ['protocol', 'targetHost', 'targetPort'])) return
  const protocol = readString(field.at('protocol'))
  if (protocol !== undefined && protocol !== '' && protocol !== 'CONNECT' && protocol !== 'POST') {
    field.at('protocol').error('ENUM', `tunnel protocol must be "CONNECT" or "POST", got "${protocol}"`)
  }
  const host = readRequiredString(field.at('targetHost'), 'tunnel.targetHost is required: the FQDN or IP the connection is tunneled to')
  if (host !== undefined && !isIpAddress(host) && checkDns1123Labels(host) !== undefined) {
    field.at('targetHost').error('DR_TUNNEL_TARGET_INVALID', `tunnel target host "${host}" must be a valid FQDN or IP address`)
  }
  const targetPort = field.at('targetPort')
  if (!targetPort.present) targetPort.error('REQUIRED', 'tunnel.targetPort is required, e.g. targetPort: 443')
  else readPortNumber(targetPort)
}

/** `proxyProtocol.version`: V1 or V2 (schema enum). */
export function validateProxyProtocol(field: Field): void {
  if (!readObject(field, ['version'])) return
  readEnum(field.at('version'), ['V1', 'V2'] as const)
}
