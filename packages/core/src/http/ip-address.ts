/**
 * Whether a text is an IPv4 or IPv6 address. It tells an address from a host name (which never
 * holds two colons and is never four numbers); it is not a full IPv6 parser. Written out rather
 * than node:net's isIP, whose IPv6 regular expression takes milliseconds to compile on first use,
 * which a cold start's first call would pay.
 */
export function isIpAddress(text: string): boolean {
  return isIpv4(text) || isIpv6(text)
}

/** Whether a host, optionally `host:port` or `[v6]:port`, is an IP address. */
export function isIpLiteral(host: string): boolean {
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    return end > 1 && isIpv6(host.slice(1, end))
  }
  if (isIpAddress(host)) return true
  const colon = host.lastIndexOf(':')
  return colon > 0 && isIpv4(host.slice(0, colon))
}

/** Four decimal numbers 0–255 joined by dots, without leading zeros (as Go's netip, which Istio's validation uses, reads them). */
function isIpv4(text: string): boolean {
  let parts = 0
  let digits = 0
  let value = 0
  for (let i = 0; i <= text.length; i++) {
    const code = i === text.length ? 46 : text.charCodeAt(i)
    if (code === 46) {
      if (digits === 0 || value > 255) return false
      parts++
      digits = 0
      value = 0
    } else if (code >= 48 && code <= 57) {
      if (++digits > 3 || (digits === 2 && value === 0)) return false
      value = value * 10 + (code - 48)
    } else {
      return false
    }
  }
  return parts === 4
}

/** Hex groups, colons (at least two, at most one `::`) and dots (an IPv4 tail). */
function isIpv6(text: string): boolean {
  let colons = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 58) colons++
    else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70) || code === 46)) return false
  }
  return colons >= 2 && text.indexOf('::') === text.lastIndexOf('::')
}
