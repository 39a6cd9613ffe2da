import type { Field } from '../field.js'
import { readMap, readObject, readString, readUint32 } from '../common/read.js'
import { checkDns1123Labels, isIpAddress } from '../common/host.js'
import { UNIX_ADDRESS_PREFIX, checkPortName, checkUnixSocketPath, readPortNumber } from '../common/port.js'
import { validateLabelMap } from '../common/selector.js'

const WORKLOAD_FIELDS = ['address', 'ports', 'labels', 'network', 'locality', 'weight', 'serviceAccount'] as const

/**
 * What an address may be. STATIC ServiceEntry endpoints must be IPs or unix sockets; DNS
 * endpoints IPs or host names; a WorkloadEntry any of the three (`validation.go`
 * validateWorkloadEntry and the ServiceEntry resolution switch).
 */
export type AddressRule = 'static' | 'dns' | 'any'

export interface EndpointContext {
  readonly addressRule: AddressRule
  /** Port names the ServiceEntry declares; endpoint ports must use them. Absent for a WorkloadEntry. */
  readonly servicePortNames?: readonly string[]
}

/** Schema limits of the WorkloadEntry fields (CRD maxLength). */
const MAX_LENGTH = { address: 256, network: 2048, locality: 2048, serviceAccount: 253 } as const

/**
 * A WorkloadEntry spec or a ServiceEntry endpoint: address (required unless network is given),
 * ports map of declared names to 1..65535, labels, locality, weight, network, serviceAccount.
 * Returns whether the address is a unix socket.
 */
export function validateWorkloadEndpoint(field: Field, context: EndpointContext): { unixSocket: boolean } {
  if (!readObject(field, WORKLOAD_FIELDS)) return { unixSocket: false }
  const unixSocket = validateAddress(field, context.addressRule)
  const ports = readMap(field.at('ports'))
  if (unixSocket && ports.length > 0) {
    field.at('ports').error('WE_UNIX_WITH_PORTS', 'a unix socket endpoint must not list ports; remove ports')
  }
  for (const [name, portField] of ports) {
    const nameProblem = checkPortName(name)
    if (nameProblem) portField.error('PORT_NAME_INVALID', nameProblem)
    else if (context.servicePortNames && !context.servicePortNames.includes(name)) {
      const declared = context.servicePortNames.length > 0 ? context.servicePortNames.join(', ') : 'none'
      portField.error('SE_ENDPOINT_PORT_UNDECLARED', `endpoint port "${name}" is not declared in spec.ports (declared: ${declared}); use the name of a ServiceEntry port`)
    }
    readPortNumber(portField)
  }
  validateLabelMap(field.at('labels'))
  for (const key of ['network', 'locality', 'serviceAccount'] as const) readLimitedString(field.at(key), MAX_LENGTH[key])
  readUint32(field.at('weight'))
  return { unixSocket }
}

function validateAddress(field: Field, rule: AddressRule): boolean {
  const addressField = field.at('address')
  if (addressField.present && readString(addressField) === undefined) return false // not a string: reported
  const address = (addressField.value as string | undefined) ?? ''
  if (address === '') {
    const network = readString(field.at('network')) ?? ''
    if (network === '') addressField.error('REQUIRED', 'address is required: an IP, a host name or unix:///path (it may only be left out when network is set)')
    else addressField.warn('WE_ADDRESS_UNSET', `address is unset with network "${network}"; the endpoint is reached through that network's gateway`)
    return false
  }
  if (address.length > MAX_LENGTH.address) {
    addressField.error('WE_ADDRESS_INVALID', `address is longer than ${MAX_LENGTH.address} characters`)
    return false
  }
  if (address.startsWith(UNIX_ADDRESS_PREFIX)) {
    if (rule === 'dns') {
      addressField.error('WE_ADDRESS_INVALID', `endpoint address "${address}" is not an IP or a host name; unix sockets need resolution: STATIC`)
      return true
    }
    const problem = checkUnixSocketPath(address.slice(UNIX_ADDRESS_PREFIX.length))
    if (problem) addressField.error('WE_ADDRESS_INVALID', problem)
    return true
  }
  if (isIpAddress(address)) return false
  if (rule === 'static') {
    addressField.error('WE_ADDRESS_INVALID', `endpoint address "${address}" is not an IP address; STATIC resolution needs IPs or unix sockets (use resolution: DNS for host names)`)
  } else if (checkDns1123Labels(address) !== undefined) {
    addressField.error('WE_ADDRESS_INVALID', `endpoint address "${address}" is neither an IP address nor a valid host name`)
  }
  return false
}

function readLimitedString(field: Field, maxLength: number): void {
  const value = readString(field)
  if (value !== undefined && value.length > maxLength) field.error('RANGE', `must be at most ${maxLength} characters long`)
}
