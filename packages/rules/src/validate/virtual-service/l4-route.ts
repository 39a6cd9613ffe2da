import type { Field } from '../field.js'
import { readInt, readList, readMap, readObject, readString, UINT32_MAX } from '../common/read.js'
import { checkWildcardDomain, isCidr, isIpAddress } from '../common/host.js'
import { checkLabelKey, checkLabelValue } from '../common/labels.js'
import { validateRouteDestinations } from './destination.js'
import { validateGatewayNames } from './gateways.js'
import { hostIsSubsetOf } from './hosts.js'
import { listLength, readStringList, reportNullItem } from './scope.js'

/**
 * TCP and TLS routes. meshlet routes HTTP only, so these are checked for shape and for what Istio
 * rejects cheaply (`validation.go` validateTCPRoute, validateTLSRoute): a route list is required,
 * TLS needs matches with SNI hosts covered by the VirtualService hosts, destinations and weights as
 * for HTTP.
 */
export function validateTcpRoute(field: Field): void {
  if (reportNullItem(field, 'a tcp route')) return
  if (!readObject(field, ['match', 'route'], 'an object like {route: [{destination: {host: db}}]}')) return
  for (const match of readList(field.at('match'))) {
    if (reportNullItem(match, 'a tcp match')) continue
    if (!readObject(match, ['destinationSubnets', 'port', 'sourceLabels', 'gateways', 'sourceNamespace', 'sourceSubnet'])) continue
    validateL4Match(match)
    readString(match.at('sourceSubnet'))
  }
  requireRoutes(field, 'tcp')
}

export function validateTlsRoute(field: Field, hosts: readonly string[]): void {
  if (reportNullItem(field, 'a tls route')) return
  if (!readObject(field, ['match', 'route'], 'an object like {match: [{sniHosts: [a.example.com]}], route: [...]}')) return
  const matches = readList(field.at('match'))
  if (listLength(field.at('match')) === 0) field.at('match').error('REQUIRED', 'a tls route needs at least one match with sniHosts')
  for (const match of matches) {
    if (reportNullItem(match, 'a tls match')) continue
    if (!readObject(match, ['sniHosts', 'destinationSubnets', 'port', 'sourceLabels', 'gateways', 'sourceNamespace'])) continue
    validateL4Match(match)
    const sniHosts = readStringList(match.at('sniHosts'))
    if (sniHosts.length === 0) match.at('sniHosts').error('REQUIRED', 'a tls match needs at least one SNI host')
    for (const { value, field: sniField } of sniHosts) validateSniHost(sniField, value, hosts)
  }
  requireRoutes(field, 'tls')
}

function validateSniHost(field: Field, sni: string, hosts: readonly string[]): void {
  const problem = checkWildcardDomain(sni)
  if (problem && isIpAddress(sni)) {
    field.warn('SNI_HOST_IP', `SNI host "${sni}" is an IP address, which goes against the SNI specification; most clients never send it`)
    return
  }
  if (problem) {
    field.error('HOST_INVALID', problem)
    return
  }
  if (!hosts.some((host) => hostIsSubsetOf(sni, host))) {
    field.error('SNI_HOST_NOT_IN_HOSTS', `SNI host "${sni}" is not covered by the VirtualService hosts [${hosts.join(', ')}]`)
  }
}

function validateL4Match(match: Field): void {
  for (const { value, field } of readStringList(match.at('destinationSubnets'))) {
    if (!isIpAddress(value) && !isCidr(value)) field.error('SUBNET_INVALID', `"${value}" is not an IP address or CIDR block`)
  }
  const portField = match.at('port')
  const port = readInt(portField, { min: 0, max: UINT32_MAX })
  if (port !== undefined && port > 65535) portField.error('RANGE', `port number ${port} must be in the range 1..65535`)
  for (const [key, valueField] of readMap(match.at('sourceLabels'))) {
    const problem = checkLabelKey(key) ?? (typeof valueField.value === 'string' ? checkLabelValue(valueField.value) : undefined)
    readString(valueField)
    if (problem) valueField.error('LABEL_INVALID', problem)
  }
  validateGatewayNames(match.at('gateways'))
  readString(match.at('sourceNamespace'))
}

function requireRoutes(field: Field, kind: 'tcp' | 'tls'): void {
  const routes = field.at('route')
  if (listLength(routes) === 0) routes.error('REQUIRED', `a ${kind} route needs route: [{destination: {host: ...}}]`)
  validateRouteDestinations(routes, { withHeaders: false })
}
