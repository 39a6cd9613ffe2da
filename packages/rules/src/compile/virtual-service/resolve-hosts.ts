import type { Destination, HTTPRoute } from '../../spec/virtual-service.js'
import { resolveShortName } from '../hosts/fqdn.js'

/**
 * A copy of a route with destination and mirror hosts made fully qualified in `namespace`
 * (`ResolveVirtualServiceShortnames`, reference §1). Done before delegate merging, so a delegate's
 * short names resolve in the delegate's namespace and inherited root fields in the root's.
 */
export function resolveRouteHosts(route: HTTPRoute, namespace: string, domain: string): HTTPRoute {
  const resolve = (destination: Destination | undefined): Destination | undefined =>
    destination && typeof destination.host === 'string' ? { ...destination, host: resolveShortName(destination.host, namespace, domain) } : destination
  return {
    ...route,
    route: route.route?.map((target) => ({ ...target, destination: resolve(target.destination)! })),
    mirror: resolve(route.mirror),
    mirrors: route.mirrors?.map((mirror) => ({ ...mirror, destination: resolve(mirror.destination)! })),
  }
}
