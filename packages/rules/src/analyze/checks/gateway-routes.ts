import type { Inventory } from '../inventory.js'
import type { Report } from '../finding.js'
import { attachRoutes } from '../../compile/gateway-api/attachment.js'
import { resolveGatewayName } from '../../compile/gateway/binding.js'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A VirtualService bound to an Istio Gateway missing from the files (istioctl analyze IST0101
 * ReferencedResourceNotFound), when the files define Istio Gateways at all: a Gateway kept with
 * other manifests is not expected here.
 */
export function checkGatewayReferences(inventory: Inventory, report: Report): void {
  const istio = inventory.gateways.filter((resource) => resource.kind === 'Gateway')
  if (istio.length === 0) return
  const known = new Set(istio.map((resource) => `${resource.namespace}/${resource.name}`))
  for (const vs of inventory.virtualServices) {
    const spec = isRecord(vs.resource.spec) ? vs.resource.spec : {}
    const gateways = Array.isArray(spec.gateways) ? spec.gateways : []
    gateways.forEach((entry, index) => {
      if (typeof entry !== 'string' || entry === 'mesh') return
      const name = resolveGatewayName(entry, vs.resource.namespace)
      if (known.has(name)) return
      report(vs.resource, ['spec', 'gateways', index], 'ANALYSIS_GATEWAY_NOT_FOUND', `no Gateway ${name} is defined in the files (istioctl analyze IST0101); the Gateways defined are ${[...known].join(', ')}`)
    })
  }
}

/**
 * An HTTPRoute parentRef that names a Gateway API Gateway of the files but attaches to none of its
 * listeners, with the reason its status would carry.
 */
export function checkRouteAttachment(inventory: Inventory, report: Report): void {
  for (const gateway of inventory.gateways) {
    if (gateway.kind !== 'KubernetesGateway' || !isRecord(gateway.spec) || !Array.isArray(gateway.spec.listeners)) continue
    const routes = inventory.httpRoutes.filter((route) => isRecord(route.spec) && (route.spec.parentRefs === undefined || Array.isArray(route.spec.parentRefs)))
    let status
    try {
      status = attachRoutes(gateway, routes).status
    } catch {
      continue // a shape validation already reported
    }
    for (const entry of status) {
      if (entry.accepted) continue
      const route = routes.find((resource) => resource.namespace === entry.route.namespace && resource.name === entry.route.name)
      if (route === undefined) continue
      report(route, ['spec', 'parentRefs', entry.parentRefIndex], 'ANALYSIS_ROUTE_NOT_ATTACHED', `not attached to Gateway ${entry.parent} (${entry.reason}): ${entry.message}`)
    }
  }
}
