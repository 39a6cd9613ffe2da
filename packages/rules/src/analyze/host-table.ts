import { hostMatches, isWildcardHost } from './hosts.js'

/**
 * Values by host with Istio's lookup order (MostSpecificHostMatch, reference §1): an exact host
 * first, else the most specific (longest) matching wildcard. Exact hosts are a Map, so checking
 * thousands of destinations stays linear in their number.
 */
export class HostTable<V> {
  private readonly exact = new Map<string, V[]>()
  private readonly wildcards = new Map<string, V[]>()
  private sortedWildcards: string[] | undefined

  add(host: string, value: V): void {
    const map = isWildcardHost(host) ? this.wildcards : this.exact
    const list = map.get(host)
    if (list) list.push(value)
    else map.set(host, [value])
    if (map === this.wildcards) this.sortedWildcards = undefined
  }

  /** The values of the exact host, else of the most specific wildcard that matches it. */
  mostSpecific(host: string): readonly V[] {
    const exact = this.exact.get(host)
    if (exact) return exact
    this.sortedWildcards ??= [...this.wildcards.keys()].sort((a, b) => b.length - a.length)
    for (const pattern of this.sortedWildcards) if (hostMatches(pattern, host)) return this.wildcards.get(pattern)!
    return []
  }

  /** True when the host is in the table, exactly or through a wildcard. */
  covers(host: string): boolean {
    return this.mostSpecific(host).length > 0
  }
}
