import type { ServiceEntryShape, WorkloadEndpointShape } from './shape.js'

/**
 * The port an endpoint listens on for a service port, as service_entry.proto describes it: the
 * endpoint's own port map (by service port name) first, then the port a registration declared for
 * all service ports (meshlet.io/port), then the service port's `targetPort`, else the service port
 * number itself.
 */
export function endpointPort(serviceEntry: ServiceEntryShape, endpoint: WorkloadEndpointShape | undefined, servicePort: number): number {
  const declared = serviceEntry.ports.find((port) => port.number === servicePort)
  if (declared === undefined) return endpoint?.defaultPort ?? servicePort
  const mapped = endpoint?.ports[declared.name]
  if (mapped !== undefined) return mapped
  return endpoint?.defaultPort ?? declared.targetPort ?? servicePort
}
