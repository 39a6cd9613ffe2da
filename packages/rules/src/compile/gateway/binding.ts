import type { HTTPMatchRequest } from '../../spec/virtual-service.js'
import { labelsMatch } from '../visibility.js'

/** Which gateway a route table is built for, as VirtualService `gateways` lists name it. */
export interface GatewayRouteScope {
  /** `namespace/name` of every Gateway resource this process implements. */
  readonly gateways: ReadonlySet<string>
  /** The server port the table serves: match entries for another `port` do not exist here. */
  readonly port: number
  /** The gateway workload's labels (for `sourceLabels`) and namespace (for `sourceNamespace`). */
  readonly labels: Readonly<Record<string, string>>
  readonly namespace: string
}

/**
 * A `gateways` entry as Istio resolves it (`istio:pilot/pkg/model/virtualservice.go`
 * resolveGatewayName): `namespace/name` as written; the legacy `name.namespace` form; a bare name
 * in the VirtualService's own namespace.
 */
export function resolveGatewayName(entry: string, vsNamespace: string): string {
  if (entry.includes('/')) return entry
  const dot = entry.indexOf('.')
  if (dot !== -1) {
    const [name, namespace] = entry.split('.')
    return `${namespace}/${name}`
  }
  return `${vsNamespace}/${entry}`
}

/** A VirtualService applies at this gateway when its `gateways` names one of the gateway's resources. */
export function bindsToGateway(vsGateways: readonly string[] | undefined, vsNamespace: string, scope: GatewayRouteScope): boolean {
  return (vsGateways ?? []).some((entry) => scope.gateways.has(resolveGatewayName(entry, vsNamespace)))
}

/**
 * Whether one match entry exists in this gateway's table, as Istio decides when it builds a
 * gateway's routes (`route.go` sourceMatchHTTP with the gateway's names): an entry with its own
 * `gateways` applies when they name this gateway; otherwise the VirtualService must bind to it and
 * the gateway workload must carry `sourceLabels` and run in `sourceNamespace`. An entry for another
 * `port` belongs to another server port's table.
 */
export function gatewayMatchApplies(match: HTTPMatchRequest, vsGateways: readonly string[] | undefined, vsNamespace: string, scope: GatewayRouteScope): boolean {
  if (typeof match.port === 'number' && match.port > 0 && match.port !== scope.port) return false
  if (match.gateways && match.gateways.length > 0) return bindsToGateway(match.gateways, vsNamespace, scope)
  if (!bindsToGateway(vsGateways, vsNamespace, scope)) return false
  if (!labelsMatch(match.sourceLabels, scope.labels)) return false
  return !match.sourceNamespace || match.sourceNamespace === scope.namespace
}
