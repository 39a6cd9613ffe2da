import { Resolver } from 'node:dns/promises'
import { lookup } from 'node:dns/promises'

/** One DNS answer: an address and how long it may be cached, in seconds. */
export interface DnsAnswer {
  readonly address: string
  readonly ttl: number
}

/**
 * What discovery needs from DNS. Tests pass a fake; production uses node:dns. A rejected promise
 * means no answer (NXDOMAIN, no data, server failure).
 */
export interface DnsResolver {
  resolve4(host: string): Promise<readonly DnsAnswer[]>
  resolve6(host: string): Promise<readonly DnsAnswer[]>
  /** The system resolver (hosts file, search domains); answers carry no TTL. Optional. */
  lookup?(host: string): Promise<readonly string[]>
}

/** node:dns `resolve4/resolve6` with TTLs, and `lookup` for names only the hosts file knows (localhost). */
export function nodeDnsResolver(): DnsResolver {
  const resolver = new Resolver()
  return {
    resolve4: (host) => resolver.resolve4(host, { ttl: true }),
    resolve6: (host) => resolver.resolve6(host, { ttl: true }),
    lookup: async (host) => (await lookup(host, { all: true })).map((entry) => entry.address),
  }
}
