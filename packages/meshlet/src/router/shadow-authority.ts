/**
 * The authority of a mirrored request: Envoy appends `-shadow` to the host, before any port
 * (envoy source/common/http/utility.cc shadowAppendedHost), unless disabled by a flag Istio
 * exposes (DisableShadowHostSuffixAppend).
 */
export function shadowAuthority(authority: string): string {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']')
    return close === -1 ? `${authority}-shadow` : `${authority.slice(0, close + 1)}-shadow${authority.slice(close + 1)}`
  }
  const colon = authority.lastIndexOf(':')
  if (colon === -1 || authority.indexOf(':') !== colon) return `${authority}-shadow`
  return `${authority.slice(0, colon)}-shadow${authority.slice(colon)}`
}
