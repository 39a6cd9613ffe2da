/**
 * One address the transport can send to: a pod, a WorkloadEntry, a ServiceEntry endpoint, a DNS
 * answer, or the caller's own authority for passthrough. Pickers, outlier detection and the
 * transport all key their state by `id`, which stays the same across config reloads as long as
 * the address and port do.
 */
export interface MeshEndpoint {
  /** `address:port` (`[v6]:port` for IPv6), stable across reloads. */
  readonly id: string
  /** IP address or host name. */
  readonly address: string
  readonly port: number
  readonly labels: Readonly<Record<string, string>>
  /** `region/zone/subzone`, when known. */
  readonly locality: string | undefined
  /** Relative load-balancing weight (1 when not set; WorkloadEntry `weight`). */
  readonly weight: number
}

/** The stable id of an address and port. */
export function endpointId(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}
