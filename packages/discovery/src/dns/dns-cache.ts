import type { Clock } from '@meshlet/core'
import type { DnsResolver } from './resolver.js'

/**
 * Refresh bounds: Istio refreshes STRICT_DNS clusters at the TTL of the answer, at most every
 * mesh `dnsRefreshRate` (default 60 s, istio api mesh/v1alpha1/config.proto) and Envoy never more
 * often than `dns_min_refresh_rate` (default 5 s, envoy cluster.proto). Names answered only by the
 * system resolver (no TTL) are refreshed at the refresh rate.
 */
export const DEFAULT_DNS_REFRESH = {
  maxRefreshMs: 60_000,
  minRefreshMs: 5_000,
} as const

export interface DnsRefreshSettings {
  readonly maxRefreshMs: number
  readonly minRefreshMs: number
}

interface Entry {
  addresses: readonly string[]
  expiresAtMs: number
  pending: Promise<readonly string[]> | undefined
}

/**
 * Addresses per host name, re-resolved when their TTL runs out. A failed refresh keeps the last
 * good addresses (as Istio's own DNS resolver and Envoy's strict DNS clusters do); a host that
 * never resolved has no addresses. Concurrent lookups of one name share one query.
 */
export class DnsCache {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly resolver: DnsResolver,
    private readonly clock: Clock,
    private readonly refresh: DnsRefreshSettings = DEFAULT_DNS_REFRESH,
  ) {}

  /** The addresses of `host`: the cached array while fresh (same object), else a promise of new ones. */
  addresses(host: string): readonly string[] | Promise<readonly string[]> {
    const entry = this.entries.get(host)
    if (entry !== undefined && this.clock.now() < entry.expiresAtMs) return entry.addresses
    if (entry?.pending) return entry.pending
    return this.resolve(host, entry)
  }

  private resolve(host: string, previous: Entry | undefined): Promise<readonly string[]> {
    const entry: Entry = previous ?? { addresses: [], expiresAtMs: 0, pending: undefined }
    this.entries.set(host, entry)
    const pending = this.query(host).then(
      ({ addresses, ttlSeconds }) => {
        if (!sameAddresses(addresses, entry.addresses)) entry.addresses = Object.freeze(addresses)
        entry.expiresAtMs = this.clock.now() + this.refreshMs(ttlSeconds)
        entry.pending = undefined
        return entry.addresses
      },
      () => {
        // Keep what we had; try again no sooner than the minimum refresh interval.
        entry.expiresAtMs = this.clock.now() + this.refresh.minRefreshMs
        entry.pending = undefined
        return entry.addresses
      },
    )
    entry.pending = pending
    return pending
  }

  private refreshMs(ttlSeconds: number | undefined): number {
    if (ttlSeconds === undefined) return this.refresh.maxRefreshMs
    return Math.min(this.refresh.maxRefreshMs, Math.max(this.refresh.minRefreshMs, ttlSeconds * 1000))
  }

  /** IPv4 first, then IPv6, then the system resolver. */
  private async query(host: string): Promise<{ addresses: string[]; ttlSeconds: number | undefined }> {
    for (const family of [this.resolver.resolve4, this.resolver.resolve6]) {
      const answers = await family.call(this.resolver, host).catch(() => [])
      if (answers.length > 0) {
        return { addresses: answers.map((a) => a.address), ttlSeconds: Math.min(...answers.map((a) => a.ttl)) }
      }
    }
    if (this.resolver.lookup) {
      const addresses = await this.resolver.lookup(host)
      if (addresses.length > 0) return { addresses: [...addresses], ttlSeconds: undefined }
    }
    throw new Error(`no address for ${host}`)
  }
}

/** The same set of addresses, in any order: the endpoint list (and pickers' state) is kept then. */
function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const sortedB = [...b].sort()
  return [...a].sort().every((address, i) => address === sortedB[i])
}
