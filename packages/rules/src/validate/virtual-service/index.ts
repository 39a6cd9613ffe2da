import type { ValidationInput } from '../context.js'
import { readList, readObject } from '../common/read.js'
import { validateExportTo } from '../common/export-to.js'
import { listLength, MESH_GATEWAY } from './scope.js'
import type { VirtualServiceScope } from './scope.js'
import { validateHosts } from './hosts.js'
import { validateGatewayNames } from './gateways.js'
import { validateHttpRoute } from './http-route.js'
import { validateTcpRoute, validateTlsRoute } from './l4-route.js'
import { analyzeUnreachableHttpRules } from './unreachable.js'

const SPEC_KEYS = ['hosts', 'gateways', 'http', 'tls', 'tcp', 'exportTo'] as const

/**
 * Validates a VirtualService as Istio's CRD schema and admission webhook would
 * (`istio:pkg/config/validation/validation.go` ValidateVirtualService, `virtualservice.go`), and
 * warns where the webhook warns. Every problem is reported at the offending value.
 */
export function validateVirtualService({ root, resource }: ValidationInput): void {
  const spec = root.at('spec')
  if (!readObject(spec, SPEC_KEYS, 'an object like {hosts: [reviews], http: [...]}')) return
  const hostsField = spec.at('hosts')
  const gatewaysField = spec.at('gateways')
  const isDelegate = listLength(hostsField) === 0

  if (isDelegate) {
    // A VirtualService without hosts is a delegate: only reachable through a root's `delegate`.
    for (const key of ['gateways', 'tls', 'tcp'] as const) {
      if (listLength(spec.at(key)) > 0) {
        spec.at(key).error('DELEGATE_VS_CONFLICT', `a delegate VirtualService (one without hosts) must not set ${key}; add hosts or remove ${key}`)
      }
    }
  }
  const gateways = validateGatewayNames(gatewaysField)
  const appliesToGatewayOnly = gateways.length > 0 && !gateways.includes(MESH_GATEWAY)
  const scope: VirtualServiceScope = { namespace: resource.namespace, isDelegate, appliesToGatewayOnly }
  const hosts = validateHosts(hostsField, !appliesToGatewayOnly)

  const http = readList(spec.at('http'))
  const tls = readList(spec.at('tls'))
  const tcp = readList(spec.at('tcp'))
  if (http.length === 0 && tls.length === 0 && tcp.length === 0) {
    spec.error('ROUTES_REQUIRED', 'a VirtualService needs at least one http route (tcp and tls routes are accepted too)')
  }
  for (const route of http) validateHttpRoute(route, scope)
  for (const route of tls) validateTlsRoute(route, hosts)
  for (const route of tcp) validateTcpRoute(route)
  validateExportTo(spec.at('exportTo'), { namespace: resource.namespace, allowNone: false, hasWorkloadSelector: false })
  analyzeUnreachableHttpRules(spec.at('http'))
}
