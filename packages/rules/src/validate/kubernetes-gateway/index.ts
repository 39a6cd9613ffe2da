import type { ValidationInput } from '../context.js'
import type { Field } from '../field.js'
import { readEnum, readList, readMap, readObject, readString } from '../common/read.js'
import { readPortNumber } from '../common/port.js'
import { validateLabelMap } from '../common/selector.js'
import { readGroup, readHostname, readKindName, readNamespaceName, readObjectName } from '../common/gateway-api.js'

const SPEC_KEYS = ['gatewayClassName', 'listeners', 'addresses', 'infrastructure', 'allowedListeners', 'backendTLS', 'defaultScope'] as const
const LISTENER_KEYS = ['name', 'hostname', 'port', 'protocol', 'tls', 'allowedRoutes'] as const
const PROTOCOL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/
const MAX_LISTENERS = 64

/**
 * A Gateway API Gateway (`gwapi:apis/v1/gateway_types.go` and its CEL rules): a class name; 1..64
 * listeners with unique names and a unique port, protocol and hostname each; TLS only (and then
 * required) for HTTPS and TLS; no hostname on TCP and UDP; allowedRoutes `from` All, Same or
 * Selector (with a selector).
 */
export function validateKubernetesGateway({ root }: ValidationInput): void {
  const spec = root.at('spec')
  if (!readObject(spec, SPEC_KEYS)) return
  readObjectName(spec.at('gatewayClassName'), 'gatewayClassName')
  const listeners = readList(spec.at('listeners'))
  if (listeners.length === 0) spec.at('listeners').error('REQUIRED', 'a Gateway needs at least one listener (a name, port and protocol)')
  if (listeners.length > MAX_LISTENERS) spec.at('listeners').error('RANGE', `a Gateway may have at most ${MAX_LISTENERS} listeners`)
  const names = new Map<string, number>()
  const combinations = new Map<string, number>()
  listeners.forEach((listener, index) => {
    if (!readObject(listener, LISTENER_KEYS)) return
    const name = readObjectName(listener.at('name'), 'listener name')
    if (name !== undefined) {
      const first = names.get(name)
      if (first !== undefined) listener.at('name').error('LISTENER_NAME_DUPLICATE', `listener name "${name}" is also used by listeners[${first}]; names must be unique`)
      else names.set(name, index)
    }
    if (!listener.at('port').present) listener.at('port').error('REQUIRED', 'port is required (1..65535)')
    const port = readPortNumber(listener.at('port'))
    const protocol = readProtocol(listener.at('protocol'))
    const hostname = readHostname(listener.at('hostname'))
    if (protocol === 'TCP' || protocol === 'UDP') {
      if (listener.at('hostname').present) listener.at('hostname').error('LISTENER_HOSTNAME_NOT_ALLOWED', `hostname must not be set for protocol ${protocol}`)
    }
    const hasTls = listener.at('tls').present
    if ((protocol === 'HTTP' || protocol === 'TCP' || protocol === 'UDP') && hasTls) {
      listener.at('tls').error('LISTENER_TLS_NOT_ALLOWED', `tls must not be set for protocol ${protocol}`)
    }
    if ((protocol === 'HTTPS' || protocol === 'TLS') && !hasTls && protocol === 'HTTPS') {
      listener.at('tls').error('REQUIRED', 'tls is required for protocol HTTPS: {mode: Terminate, certificateRefs: [...]}')
    }
    validateListenerTls(listener.at('tls'))
    validateAllowedRoutes(listener.at('allowedRoutes'))
    if (port !== undefined && protocol !== undefined) {
      const key = `${port}|${protocol}|${hostname ?? ''}`
      const first = combinations.get(key)
      if (first !== undefined) listener.error('LISTENER_CONFLICT', `port ${port}, protocol ${protocol} and hostname "${hostname ?? ''}" are also those of listeners[${first}]; the combination must be unique`)
      else combinations.set(key, index)
    }
  })
}

function readProtocol(field: Field): string | undefined {
  if (!field.present) {
    field.error('REQUIRED', 'protocol is required: HTTP, HTTPS, TLS, TCP or UDP')
    return undefined
  }
  const value = readString(field)
  if (value === undefined) return undefined
  if (value.length > 255 || !PROTOCOL.test(value)) {
    field.error('LISTENER_PROTOCOL_INVALID', `"${value}" is not a valid protocol name`)
    return undefined
  }
  return value
}

function validateListenerTls(field: Field): void {
  if (!readObject(field, ['mode', 'certificateRefs', 'options', 'frontendValidation'])) return
  const mode = readEnum(field.at('mode'), ['Terminate', 'Passthrough'] as const) ?? 'Terminate'
  const refs = readList(field.at('certificateRefs'))
  if (refs.length > 64) field.at('certificateRefs').error('RANGE', 'at most 64 certificateRefs')
  for (const ref of refs) {
    if (!readObject(ref, ['group', 'kind', 'name', 'namespace'])) continue
    readGroup(ref.at('group'))
    readKindName(ref.at('kind'))
    readObjectName(ref.at('name'), 'certificateRefs name')
    readNamespaceName(ref.at('namespace'))
  }
  for (const [, value] of readMap(field.at('options'))) readString(value)
  if (mode === 'Terminate' && refs.length === 0 && !field.at('options').present) {
    field.at('certificateRefs').error('REQUIRED', 'certificateRefs or options must be specified when mode is Terminate')
  }
}

function validateAllowedRoutes(field: Field): void {
  if (!readObject(field, ['namespaces', 'kinds'])) return
  const namespaces = field.at('namespaces')
  if (readObject(namespaces, ['from', 'selector'])) {
    const from = readEnum(namespaces.at('from'), ['All', 'Same', 'Selector'] as const)
    const selector = namespaces.at('selector')
    if (from === 'Selector' && !selector.present) selector.error('REQUIRED', 'selector is required when from is Selector')
    if (readObject(selector, ['matchLabels', 'matchExpressions'])) {
      validateLabelMap(selector.at('matchLabels'))
      for (const expression of readList(selector.at('matchExpressions'))) {
        if (!readObject(expression, ['key', 'operator', 'values'])) continue
        if (!expression.at('key').present) expression.at('key').error('REQUIRED', 'key is required')
        readString(expression.at('key'))
        const operator = readEnum(expression.at('operator'), ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const)
        const values = readList(expression.at('values'))
        for (const value of values) readString(value)
        if ((operator === 'In' || operator === 'NotIn') && values.length === 0) expression.at('values').error('REQUIRED', `values are required with operator ${operator}`)
        if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) expression.at('values').error('NOT_ALLOWED', `values must be empty with operator ${operator}`)
      }
    }
  }
  const kinds = readList(field.at('kinds'))
  if (kinds.length > 8) field.at('kinds').error('RANGE', 'at most 8 kinds')
  for (const kind of kinds) {
    if (!readObject(kind, ['group', 'kind'])) continue
    readGroup(kind.at('group'))
    if (!kind.at('kind').present) kind.at('kind').error('REQUIRED', 'kind is required, e.g. HTTPRoute')
    readKindName(kind.at('kind'))
  }
}
