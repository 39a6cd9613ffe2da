import { endpointId } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { withTopologyLabels } from '../topology-labels.js'
import { endpointPort } from './ports.js'
import type { ServiceEntryShape, WorkloadEndpointShape } from './shape.js'

/**
 * A ServiceEntry endpoint (inline or a selected WorkloadEntry, compiled or registered live) as the
 * data plane's endpoint for one service port: its port for that service port, its topology labels,
 * and weight 1 when none is set.
 */
export function serviceEntryEndpoint(serviceEntry: ServiceEntryShape, endpoint: WorkloadEndpointShape, servicePort: number): MeshEndpoint {
  const port = endpointPort(serviceEntry, endpoint, servicePort)
  return Object.freeze({
    id: endpointId(endpoint.address, port),
    address: endpoint.address,
    port,
    labels: withTopologyLabels(endpoint.labels, endpoint.locality, endpoint.network),
    locality: endpoint.locality,
    weight: endpoint.weight > 0 ? endpoint.weight : 1,
  })
}
