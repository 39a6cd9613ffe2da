import type { DiscoveredState } from '@meshlet/discovery'

/** What retirement closes: the connection pools of endpoints at some addresses. */
export interface RetirablePools {
  retire(addresses: ReadonlySet<string>): void
}

/**
 * Closes the connection pools of endpoints discovery removed, as Envoy drains the pools of a host
 * that leaves its cluster: without it a pool (and its keep-alive connections, for up to the 1 h
 * idle timeout) would outlive its pod, and churn would run the process out of file descriptors.
 * Per host it remembers the addresses last published; an address gone from a host's endpoints
 * (or from a namespace's live WorkloadEntries) has its pools closed, requests in flight finishing
 * first. An address still served under another host only pays a new connection. Returns the
 * unsubscribe.
 */
export function retireRemovedEndpoints(state: DiscoveredState, pools: RetirablePools): () => void {
  const published = new Map<string, ReadonlySet<string>>()
  return state.onEndpointsChange((host) => {
    const current = addressesOf(state, host)
    const before = published.get(host)
    if (current.size === 0) published.delete(host)
    else published.set(host, current)
    if (before === undefined) return
    const removed = new Set<string>()
    for (const address of before) if (!current.has(address)) removed.add(address)
    pools.retire(removed)
  })
}

/** `namespace/*` names a namespace's live workloads; anything else is a service host. */
function addressesOf(state: DiscoveredState, host: string): ReadonlySet<string> {
  if (!host.endsWith('/*')) return state.endpointAddressesOf(host)
  return new Set(state.workloadsIn(host.slice(0, -2)).list.map((workload) => workload.address))
}
