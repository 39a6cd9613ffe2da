import { isIP } from 'node:net'

/**
 * Whether a host (optionally `host:port` or `[v6]:port`) is an IP address. Label values never hold
 * one: a pod IP would make a new series for every pod ever seen.
 */
export function isIpLiteral(host: string): boolean {
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    return end > 0 && isIP(host.slice(1, end)) === 6
  }
  if (isIP(host) !== 0) return true
  const colon = host.lastIndexOf(':')
  return colon > 0 && isIP(host.slice(0, colon)) === 4
}
