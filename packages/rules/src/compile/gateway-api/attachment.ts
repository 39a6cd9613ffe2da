import type { RawResource } from '../../source/resource.js'
import type { AllowedRoutes, HTTPRouteSpec, KubernetesGatewaySpec, Listener, ParentReference } from '../../spec/gateway-api.js'
import type { RouteParentStatus } from '../snapshot.js'
import { refOf } from '../order.js'
import { intersectHosts } from '../gateway/istio-gateway.js'

const GATEWAY_GROUP = 'gateway.networking.k8s.io'

/** An HTTPRoute attached to one listener, with the hostnames it is served for there. */
export interface Attachment {
  readonly route: RawResource
  readonly listenerIndex: number
  readonly hostnames: readonly string[]
}

/** Whether a parentRef names this Gateway (group and kind default to the Gateway API's Gateway). */
export function namesGateway(ref: ParentReference, route: RawResource, gateway: RawResource): boolean {
  return (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (ref.kind ?? 'Gateway') === 'Gateway' && ref.name === gateway.name && (ref.namespace || route.namespace) === gateway.namespace
}

/** Whether a parentRef names a Service (GAMMA: the route applies to the mesh's calls to it). */
export function namesService(ref: ParentReference): boolean {
  return (ref.group ?? GATEWAY_GROUP) === '' && ref.kind === 'Service'
}

/**
 * Which listeners of a Gateway each HTTPRoute attaches to, and the route status of each parentRef
 * naming the Gateway (`gwapi` ParentReference, AllowedRoutes, Listener.hostname docs): the
 * parentRef's sectionName and port narrow the listeners; the listener must speak HTTP or HTTPS,
 * allow routes from the route's namespace (Same by default, All, or Selector, whose namespace
 * labels meshlet does not know) and the HTTPRoute kind; the hostnames must intersect (a route
 * without hostnames takes the listener's). A parentRef that attaches nowhere is reported with the
 * API's reason.
 */
export function attachRoutes(gateway: RawResource, routes: readonly RawResource[]): { attachments: Attachment[]; status: RouteParentStatus[] } {
  const listeners = (gateway.spec as KubernetesGatewaySpec).listeners ?? []
  const attachments: Attachment[] = []
  const status: RouteParentStatus[] = []
  for (const route of routes) {
    const spec = route.spec as HTTPRouteSpec
    ;(spec.parentRefs ?? []).forEach((ref, parentRefIndex) => {
      if (!ref || !namesGateway(ref, route, gateway)) return
      const narrowed = listeners
        .map((listener, index) => ({ listener, index }))
        .filter(({ listener }) => listener !== null && (ref.sectionName === undefined || listener.name === ref.sectionName) && (ref.port === undefined || listener.port === ref.port))
      let reason = 'NoMatchingParent'
      let message = ref.sectionName !== undefined || ref.port !== undefined ? `no listener${ref.sectionName !== undefined ? ` named ${ref.sectionName}` : ''}${ref.port !== undefined ? ` on port ${ref.port}` : ''}` : 'the Gateway has no listener'
      let attachedAnywhere = false
      for (const { listener, index } of narrowed) {
        const allowed = allowsRoute(listener, route.namespace, gateway.namespace)
        if (allowed !== undefined) {
          if (reason === 'NoMatchingParent') {
            reason = 'NotAllowedByListeners'
            message = allowed
          }
          continue
        }
        const hostnames = intersectHostnames(listener.hostname, spec.hostnames ?? [])
        if (hostnames.length === 0) {
          if (reason !== 'NoMatchingListenerHostname' && !attachedAnywhere) {
            reason = 'NoMatchingListenerHostname'
            message = `none of the route's hostnames (${(spec.hostnames ?? []).join(', ')}) is served by listener ${listener.name ?? index} (hostname ${listener.hostname})`
          }
          continue
        }
        attachedAnywhere = true
        attachments.push({ route, listenerIndex: index, hostnames })
      }
      status.push({
        route: refOf(route),
        parentRefIndex,
        parent: `${gateway.namespace}/${gateway.name}`,
        parentKind: 'Gateway',
        accepted: attachedAnywhere,
        reason: attachedAnywhere ? 'Accepted' : reason,
        message: attachedAnywhere ? 'attached' : message,
        resolvedRefs: { resolved: true, reason: 'ResolvedRefs', message: '' },
      })
    })
  }
  return { attachments, status }
}

/** undefined when the listener takes HTTPRoutes from that namespace, else why not. */
function allowsRoute(listener: Listener, routeNamespace: string, gatewayNamespace: string): string | undefined {
  const protocol = (listener.protocol ?? '').toUpperCase()
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return `listener ${listener.name} speaks ${listener.protocol}, which does not take HTTPRoutes`
  const allowed: AllowedRoutes = listener.allowedRoutes ?? {}
  const kinds = allowed.kinds ?? []
  if (kinds.length > 0 && !kinds.some((kind) => (kind.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && kind.kind === 'HTTPRoute')) {
    return `listener ${listener.name} allows only ${kinds.map((kind) => kind.kind).join(', ')}`
  }
  const from = allowed.namespaces?.from ?? 'Same'
  if (from === 'All') return undefined
  if (from === 'Same') return routeNamespace === gatewayNamespace ? undefined : `listener ${listener.name} allows routes from its own namespace ${gatewayNamespace} only (allowedRoutes.namespaces.from: Same)`
  return `listener ${listener.name} selects namespaces by label, and meshlet does not know the labels of namespace ${routeNamespace}`
}

/** The hostnames a route is served for on a listener (both lower case; `*.` wildcards intersect by suffix). */
function intersectHostnames(listenerHostname: string | undefined, routeHostnames: readonly string[]): string[] {
  const listener = listenerHostname ?? '*'
  if (routeHostnames.length === 0) return [listener]
  const out: string[] = []
  for (const hostname of routeHostnames) {
    const host = intersectHosts(hostname, listener)
    if (host !== undefined && !out.includes(host)) out.push(host)
  }
  return out
}
