/**
 * One address the transport can send to: a pod, a WorkloadEntry, a ServiceEntry endpoint, a DNS
 * answer, or the caller's own authority for passthrough. Pickers, outlier detection and the
 * transport all key their state by `id`, which stays the same across config reloads as long as
 * the address and port do.
 */
export interface MeshEndpoint {
  /** `address:port` (`[v6]:port` for IPv6; the address alone for a unix socket), stable across reloads. */
  readonly id: string
  /** IP address, host name, or `unix:///path/to/socket`. */
  readonly address: string
  readonly port: number
  readonly labels: Readonly<Record<string, string>>
  /** `region/zone/subzone`, when known. */
  readonly locality: string | undefined
  /** Relative load-balancing weight (1 when not set; WorkloadEntry `weight`). */
  readonly weight: number
}

/** Addresses of unix domain socket endpoints start with this (WorkloadEntry `address`). */
export const UNIX_SOCKET_PREFIX = 'unix://'

/** The stable id of an address and port; a unix socket is its address alone (it has no port). */
export function endpointId(address: string, port: number): string {
  if (address.startsWith(UNIX_SOCKET_PREFIX)) return address
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}
