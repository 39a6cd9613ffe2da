import { isWildcardHost } from './fqdn.js'

/** Bound on remembered wildcard lookups, so a stream of distinct hosts cannot grow memory. */
const LOOKUP_CACHE_LIMIT = 10_000

export interface HostIndexHit<T> {
  /** The indexed host (FQDN or wildcard) that matched. */
  readonly host: string
  readonly value: T
}

/**
 * Host → value, as Istio's MostSpecificHostMatch finds it (`istio:pilot/pkg/model/config.go`):
 * an exact entry beats any wildcard; among wildcards the longest suffix wins. `*.foo.com` matches
 * by plain suffix (`a.b.foo.com`, not `foo.com`), `*foo.com` also matches `foo.com` and `*` matches
 * everything (`istio:pkg/config/host/name.go` Matches).
 *
 * A lookup is one Map probe per distinct wildcard length, never a scan over the entries, and
 * wildcard results are cached, so 1,000 hosts cost the same as ten.
 */
export class HostIndex<T> {
  private readonly exact = new Map<string, HostIndexHit<T>>()
  private readonly wildcards = new Map<string, HostIndexHit<T>>()
  /** Distinct wildcard suffix lengths, longest (most specific) first. */
  private suffixLengths: number[] = []
  private readonly cache = new Map<string, HostIndexHit<T> | null>()

  /** Adds a host unless it is already there (callers add the winning rule first). */
  add(host: string, value: T): boolean {
    const hit = Object.freeze({ host, value })
    if (!isWildcardHost(host)) {
      if (this.exact.has(host)) return false
      this.exact.set(host, hit)
      return true
    }
    const suffix = host.slice(1)
    if (this.wildcards.has(suffix)) return false
    this.wildcards.set(suffix, hit)
    if (!this.suffixLengths.includes(suffix.length)) {
      this.suffixLengths = [...this.suffixLengths, suffix.length].sort((a, b) => b - a)
    }
    this.cache.clear()
    return true
  }

  has(host: string): boolean {
    return this.exact.has(host)
  }

  lookup(host: string): HostIndexHit<T> | undefined {
    const exact = this.exact.get(host)
    if (exact) return exact
    if (this.suffixLengths.length === 0) return undefined
    const cached = this.cache.get(host)
    if (cached !== undefined) return cached ?? undefined
    const found = this.lookupWildcard(host)
    if (this.cache.size >= LOOKUP_CACHE_LIMIT) this.cache.clear()
    this.cache.set(host, found ?? null)
    return found
  }

  private lookupWildcard(host: string): HostIndexHit<T> | undefined {
    for (const length of this.suffixLengths) {
      if (length > host.length) continue
      const hit = this.wildcards.get(length === host.length ? host : host.slice(host.length - length))
      if (hit) return hit
    }
    return undefined
  }
}
