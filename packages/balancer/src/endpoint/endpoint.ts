/**
 * The endpoint shape the balancer reads. `CompiledEndpoint` of @meshlet/rules fits it, and so does
 * an endpoint the data plane has already resolved to one port.
 */
export interface BalancerEndpoint {
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

/** `address:port`, or the address alone: Envoy also hashes hosts by their address string. */
export function defaultEndpointKey(endpoint: BalancerEndpoint): string {
  return endpoint.port === undefined ? endpoint.address : `${endpoint.address}:${endpoint.port}`
}

export function endpointWeight(endpoint: BalancerEndpoint): number {
  const weight = endpoint.weight
  return weight !== undefined && Number.isFinite(weight) && weight >= 1 ? weight : 1
}
