import type { Field } from '../field.js'
import { readList, readObject, readString } from '../common/read.js'
import { readPortName, readPortNumber } from '../common/port.js'
import { readRequiredString } from '../common/required.js'
import { KNOWN_PROTOCOLS, protocolClass } from './protocol.js'

const PORT_FIELDS = ['number', 'protocol', 'name', 'targetPort'] as const

export interface DeclaredPort {
  readonly field: Field
  readonly name: string | undefined
  /** Protocol as written ('' when unset). */
  readonly protocol: string
}

/**
 * `ports` (`validation.go` ValidateServiceEntry; CRD list-map on name, CEL "port number cannot be
 * duplicated"): number 1..65535 and unique, name required, a DNS-1123 label and unique, protocol
 * known, targetPort 1..65535. Returns the ports read, for the endpoint and host checks.
 */
export function validateServicePorts(field: Field, resolution: string): DeclaredPort[] {
  const declared: DeclaredPort[] = []
  const firstByName = new Map<string, number>()
  const firstByNumber = new Map<number, number>()
  readList(field).forEach((port, index) => {
    if (!port.present) {
      port.error('REQUIRED', 'a service port may not be null; remove the empty list item')
      return
    }
    if (!readObject(port, PORT_FIELDS)) return
    const numberField = port.at('number')
    if (!numberField.present) numberField.error('REQUIRED', 'port number is required, e.g. number: 443')
    const number = readPortNumber(numberField)
    if (number !== undefined) {
      const first = firstByNumber.get(number)
      if (first !== undefined) numberField.error('SE_PORT_DUPLICATE', `port ${number} is already declared by ports[${first}]; port numbers must be unique`)
      else firstByNumber.set(number, index)
    }
    const nameField = port.at('name')
    const name = readRequiredString(nameField, 'port name is required, e.g. name: https') === undefined ? undefined : readPortName(nameField)
    if (name !== undefined) {
      const first = firstByName.get(name)
      if (first !== undefined) nameField.error('SE_PORT_NAME_DUPLICATE', `port name "${name}" is already used by ports[${first}]; port names must be unique`)
      else firstByName.set(name, index)
    }
    const protocol = readString(port.at('protocol')) ?? ''
    if (protocol !== '' && !protocolClass(protocol)) {
      port.at('protocol').error('SE_PROTOCOL_UNKNOWN', `unsupported protocol "${protocol}"; use one of ${KNOWN_PROTOCOLS}`)
    }
    const targetPort = port.at('targetPort')
    if (readPortNumber(targetPort) !== undefined && resolution === 'NONE') {
      targetPort.warn('SE_TARGET_PORT_IGNORED', 'targetPort has no effect when resolution is NONE (traffic keeps its original port)')
    }
    declared.push({ field: port, name, protocol })
  })
  return declared
}
