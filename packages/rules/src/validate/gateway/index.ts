import type { ValidationInput } from '../context.js'
import { readList, readObject, readString } from '../common/read.js'
import { validateLabelMap } from '../common/selector.js'
import { readPortName, readPortNumber } from '../common/port.js'
import { reportNullItem } from '../virtual-service/scope.js'
import type { Field } from '../field.js'
import { validateServerHosts } from './server-hosts.js'
import { validateServerTls } from './server-tls.js'

const SPEC_KEYS = ['servers', 'selector'] as const
const SERVER_KEYS = ['port', 'bind', 'hosts', 'tls', 'defaultEndpoint', 'name'] as const

/** Protocols Istio accepts on a server port (`istio:pkg/config/protocol` Parse), case-insensitive. */
export const SERVER_PROTOCOLS = ['HTTP', 'HTTPS', 'GRPC', 'GRPC-WEB', 'HTTP2', 'MONGO', 'REDIS', 'MYSQL', 'TCP', 'TLS'] as const

/**
 * Validates an Istio Gateway as the CRD schema and admission webhook would (`validation.go`
 * ValidateGateway, validateServer, validateServerPort, validateTLSOptions): at least one server;
 * each with a port (number, protocol, name; names unique in the Gateway), at least one host in
 * `namespace/host` form, TLS settings for HTTPS and TLS ports (and none for plain ports unless it
 * only asks for `httpsRedirect`); server names unique.
 */
export function validateGateway({ root }: ValidationInput): void {
  const spec = root.at('spec')
  if (!readObject(spec, SPEC_KEYS, 'an object like {selector: {istio: ingressgateway}, servers: [...]}')) return
  // No selector: the Gateway applies to every gateway workload, as in Istio.
  validateLabelMap(spec.at('selector'))
  const servers = readList(spec.at('servers'))
  if (servers.length === 0) spec.at('servers').error('GATEWAY_SERVERS_REQUIRED', 'a Gateway must have at least one server (a port and the hosts it serves)')
  const portNames = new Map<string, number>()
  const serverNames = new Map<string, number>()
  servers.forEach((server, index) => {
    if (reportNullItem(server, 'a server')) return
    if (!readObject(server, SERVER_KEYS, 'an object like {port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}')) return
    const portName = validateServerPort(server.at('port'))
    if (portName !== undefined) {
      const first = portNames.get(portName)
      if (first !== undefined) server.at('port').at('name').error('GATEWAY_PORT_NAME_DUPLICATE', `port names in servers must be unique: "${portName}" is also the name of servers[${first}]`)
      else portNames.set(portName, index)
    }
    const name = readString(server.at('name'))
    if (name !== undefined && name !== '') {
      const first = serverNames.get(name)
      if (first !== undefined) server.at('name').error('GATEWAY_SERVER_NAME_DUPLICATE', `server names must be unique: "${name}" is also the name of servers[${first}]`)
      else serverNames.set(name, index)
    }
    readString(server.at('bind'))
    readString(server.at('defaultEndpoint'))
    validateServerHosts(server.at('hosts'))
    const protocol = (readString(server.at('port').at('protocol')) ?? '').toUpperCase()
    const tls = validateServerTls(server.at('tls'))
    const secure = protocol === 'HTTPS' || protocol === 'TLS'
    if (secure && !server.at('tls').present) {
      server.at('tls').error('GATEWAY_TLS_REQUIRED', `server must have TLS settings for ${protocol} protocols (tls.mode and the certificate)`)
    } else if (!secure && tls !== undefined && tls.mode !== undefined && !tls.httpsRedirect) {
      server.at('tls').error('GATEWAY_TLS_ON_PLAINTEXT', `server cannot have TLS settings for a plain text ${protocol || 'HTTP'} port; use protocol HTTPS, or keep only httpsRedirect`)
    }
  })
}

function validateServerPort(field: Field): string | undefined {
  if (!field.present) {
    field.error('REQUIRED', 'port is required: {number: 80, name: http, protocol: HTTP}')
    return undefined
  }
  if (!readObject(field, ['number', 'protocol', 'name', 'targetPort'], 'an object like {number: 80, name: http, protocol: HTTP}')) return undefined
  if (!field.at('number').present) field.at('number').error('REQUIRED', 'port.number is required (1..65535)')
  readPortNumber(field.at('number'))
  readPortNumber(field.at('targetPort'))
  const protocol = readString(field.at('protocol'))
  if (protocol === undefined || protocol === '') field.at('protocol').error('REQUIRED', `port.protocol is required: one of ${SERVER_PROTOCOLS.join(', ')}`)
  else if (!(SERVER_PROTOCOLS as readonly string[]).includes(protocol.toUpperCase())) {
    field.at('protocol').error('GATEWAY_PROTOCOL_INVALID', `invalid protocol "${protocol}"; supported protocols are ${SERVER_PROTOCOLS.join(', ')}`)
  }
  const name = readPortName(field.at('name'))
  if (!field.at('name').present) field.at('name').error('REQUIRED', 'port.name is required, e.g. "http" or "https-bookinfo"')
  return name
}
