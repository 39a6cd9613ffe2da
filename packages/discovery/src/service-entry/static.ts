import type { MeshEndpoint } from '@meshlet/core'
import { serviceEntryEndpoint } from './endpoint.js'
import type { ServiceEntryShape } from './shape.js'

/**
 * The endpoints of a `resolution: STATIC` ServiceEntry for one service port, built once per
 * compiled ServiceEntry and port (the snapshot is frozen, so the answer never changes).
 */
export class StaticEndpoints {
  private readonly cache = new WeakMap<ServiceEntryShape, Map<number, readonly MeshEndpoint[]>>()

  for(serviceEntry: ServiceEntryShape, servicePort: number): readonly MeshEndpoint[] {
    let byPort = this.cache.get(serviceEntry)
    if (byPort === undefined) {
      byPort = new Map()
      this.cache.set(serviceEntry, byPort)
    }
    let endpoints = byPort.get(servicePort)
    if (endpoints === undefined) {
      endpoints = Object.freeze(serviceEntry.endpoints.map((endpoint) => serviceEntryEndpoint(serviceEntry, endpoint, servicePort)))
      byPort.set(servicePort, endpoints)
    }
    return endpoints
  }
}
