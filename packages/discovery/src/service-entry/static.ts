import { endpointId } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { withTopologyLabels } from '../topology-labels.js'
import { endpointPort } from './ports.js'
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
      endpoints = Object.freeze(
        serviceEntry.endpoints.map((endpoint) => {
          const port = endpointPort(serviceEntry, endpoint, servicePort)
          return Object.freeze({
            id: endpointId(endpoint.address, port),
            address: endpoint.address,
            port,
            labels: withTopologyLabels(endpoint.labels, endpoint.locality, endpoint.network),
            locality: endpoint.locality,
            weight: endpoint.weight > 0 ? endpoint.weight : 1,
          })
        }),
      )
      byPort.set(servicePort, endpoints)
    }
    return endpoints
  }
}
