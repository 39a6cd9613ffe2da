import type { ServiceEntryShape, WorkloadEndpointShape } from './shape.js'

/**
 * The port an endpoint listens on for a service port, as service_entry.proto describes it: the
 * endpoint's own port map (by service port name) first, then the service port's `targetPort`,
 * else the service port number itself.
 */
export function endpointPort(serviceEntry: ServiceEntryShape, endpoint: WorkloadEndpointShape | undefined, servicePort: number): number {
  const declared = serviceEntry.ports.find((port) => port.number === servicePort)
  if (declared === undefined) return servicePort
  const mapped = endpoint?.ports[declared.name]
  if (mapped !== undefined) return mapped
  return declared.targetPort ?? servicePort
}
