import type { Field } from '../field.js'
import { checkDns1123Label } from './host.js'
import { readInt, readString } from './read.js'

/** Istio marks a Unix domain socket endpoint with this prefix (`validation.go` UnixAddressPrefix). */
export const UNIX_ADDRESS_PREFIX = 'unix://'

/** A port number 1..65535 (`agent/validation.go` ValidatePort; the CRDs' CEL says the same). */
export function readPortNumber(field: Field): number | undefined {
  if (!field.present) return undefined
  return readInt(field, {
    min: 1,
    max: 65535,
    rangeMessage: `port number ${String(field.value)} must be in the range 1..65535`,
  })
}

/** Port names are DNS-1123 labels (`validation.go` ValidatePortName). Returns an error message or undefined. */
export function checkPortName(name: string): string | undefined {
  if (name === '') return 'port name must not be empty'
  const problem = checkDns1123Label(name)
  return problem ? `invalid port name: ${problem}` : undefined
}

/** Reads a port name and reports PORT_NAME_INVALID when it is not a DNS-1123 label. */
export function readPortName(field: Field): string | undefined {
  const name = readString(field)
  if (name === undefined) return undefined
  const problem = checkPortName(name)
  if (problem) field.error('PORT_NAME_INVALID', `${problem}; use letters, digits and '-', e.g. "http" or "grpc-web"`)
  return name
}

/**
 * The path part of a `unix://` address: an absolute file path, or an abstract socket starting
 * with `@` (`validation.go` ValidateUnixAddress; CRD CEL "UDS must be an absolute path or abstract
 * socket", "UDS may not be a dir"). Returns an error message or undefined.
 */
export function checkUnixSocketPath(path: string): string | undefined {
  if (path === '') return 'unix address must not be empty'
  if (path.startsWith('@')) return undefined
  if (!path.startsWith('/')) return `unix socket "${path}" must be an absolute path (unix:///run/app.sock) or an abstract socket (unix://@name)`
  if (path.endsWith('/')) return `unix socket "${path}" names a directory; point at the socket file`
  return undefined
}
