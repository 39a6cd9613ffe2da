/**
 * The endpoint shape the balancer reads. `CompiledEndpoint` of @meshlet/rules fits it, and so does
 * an endpoint the data plane has already resolved to one port.
 */
export interface BalancerEndpoint {
  /** A stable identity (core's MeshEndpoint `id`, `address:port`); derived from address and port when absent. */
  readonly id?: string | undefined
  readonly address: string
  /** The resolved port, when the caller has one; part of the default identity. */
  readonly port?: number | undefined
  /** ServiceEntry/WorkloadEntry weight; missing or < 1 counts as 1 (Envoy's minimum weight). */
  readonly weight?: number | undefined
  /** `region/zone/subzone`. */
  readonly locality?: string | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly network?: string | undefined
}

/**
 * The endpoint's `id`, else `address:port` (`[v6]:port`), or the address alone: Envoy also hashes
 * hosts by their address string.
 */
export function defaultEndpointKey(endpoint: BalancerEndpoint): string {
  if (endpoint.id !== undefined) return endpoint.id
  if (endpoint.port === undefined) return endpoint.address
  return endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`
}

export function endpointWeight(endpoint: BalancerEndpoint): number {
  const weight = endpoint.weight
  return weight !== undefined && Number.isFinite(weight) && weight >= 1 ? weight : 1
}
