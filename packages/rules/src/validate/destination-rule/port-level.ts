import type { Field } from '../field.js'
import { readList, readObject } from '../common/read.js'
import { readPortNumber } from '../common/port.js'
import { POLICY_BLOCKS, validatePolicyBlocks } from './policy-blocks.js'

const PORT_POLICY_FIELDS = ['port', ...POLICY_BLOCKS] as const

/**
 * `portLevelSettings`: each entry names a port 1..65535 and sets at least one block
 * (`validation.go` validatePortTrafficPolicies). A second entry for the same port could never
 * apply, so it is rejected as well.
 */
export function validatePortLevelSettings(field: Field): void {
  const firstIndexByPort = new Map<number, number>()
  readList(field).forEach((entry, index) => {
    if (!entry.present) {
      entry.error('REQUIRED', 'a port-level traffic policy may not be null; remove the empty list item')
      return
    }
    if (!readObject(entry, PORT_POLICY_FIELDS)) return
    const port = readPort(entry.at('port'))
    if (port !== undefined) {
      const first = firstIndexByPort.get(port)
      if (first !== undefined) {
        entry.at('port').at('number').error('DR_PORT_DUPLICATE', `port ${port} already has a policy in portLevelSettings[${first}]; merge the two entries`)
      } else firstIndexByPort.set(port, index)
    }
    if (!POLICY_BLOCKS.some((key) => entry.at(key).present)) {
      entry.error('DR_PORT_POLICY_EMPTY', `port-level policy sets nothing; set at least one of ${POLICY_BLOCKS.join(', ')}`)
      return
    }
    validatePolicyBlocks(entry)
  })
}

function readPort(field: Field): number | undefined {
  if (!field.present) {
    field.error('REQUIRED', 'port is required: the destination port this policy is for, e.g. port: {number: 9080}')
    return undefined
  }
  if (!readObject(field, ['number'], 'an object like {number: 9080}')) return undefined
  if (!field.at('number').present) {
    field.at('number').error('REQUIRED', 'port.number is required, e.g. port: {number: 9080}')
    return undefined
  }
  return readPortNumber(field.at('number'))
}
