import type { Field } from '../field.js'

/**
 * Rule values that end up in a request line, a Host or a Location header: rewrite and redirect
 * paths and authorities. Istio's webhook checks none of their characters. Envoy refuses NUL, CR and
 * LF in all of them when it loads the route (route_components.proto: prefix_rewrite,
 * host_rewrite_literal, host_redirect, path_redirect are `well_known_regex: HTTP_HEADER_VALUE,
 * strict: false`), so such a rule is rejected by every sidecar; and other characters a path or a
 * host cannot hold (space and other controls, non-ASCII, `/` or `@` in a host) pass Envoy's load
 * only to produce requests and redirects that break at runtime. meshlet refuses both kinds here,
 * so nothing a rule says can inject a header or split a request. Each function returns an error
 * message or undefined.
 */

/** What Envoy itself refuses in these fields. */
const ENVOY_REFUSED = /[\u0000\r\n]/

function envoyRefusal(value: string, what: string): string | undefined {
  const match = ENVOY_REFUSED.exec(value)
  if (!match) return undefined
  const name = match[0] === '\u0000' ? 'a NUL character' : match[0] === '\r' ? 'a carriage return (CR)' : 'a line feed (LF)'
  return `${what} ${JSON.stringify(value)} contains ${name}; Envoy refuses it when it loads the route (a CR or LF would let the rule inject headers), so remove it`
}

/** The first character outside printable ASCII (space, controls, DEL, anything above U+007E), or undefined. */
function firstNonPrintable(value: string): { char: string; index: number } | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code <= 0x20 || code >= 0x7f) return { char: String.fromCodePoint(value.codePointAt(i)!), index: i }
  }
  return undefined
}

function describeChar(char: string): string {
  if (char === ' ') return 'a space'
  const code = char.codePointAt(0)!
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return code < 0x20 || code === 0x7f ? `the control character ${hex}` : `"${char}" (${hex})`
}

function percentEncoded(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}

/**
 * A path (and optional query) that becomes part of a request line or a Location: `rewrite.uri`,
 * `rewrite.uriRegexRewrite.rewrite`, `redirect.uri`, `redirect.prefixRewrite`.
 */
export function checkPathValue(value: string, what: string): string | undefined {
  const refused = envoyRefusal(value, what)
  if (refused) return refused
  const bad = firstNonPrintable(value)
  if (!bad) return undefined
  return `${what} ${JSON.stringify(value)} contains ${describeChar(bad.char)} at position ${bad.index + 1}, which a request path cannot hold as written; percent-encode it (${percentEncoded(bad.char)})`
}

/** Characters of a URI authority's host part (RFC 3986 reg-name: unreserved, sub-delims, pct-encoded). */
const REG_NAME = /^[A-Za-z0-9\-._~!$&'()*+,;=%]+$/
const IP_LITERAL = /^\[[0-9A-Fa-f:.]+(?:%25[A-Za-z0-9\-._~]+)?\]$/

/**
 * An authority that becomes a Host or the host of a Location: `rewrite.authority`,
 * `redirect.authority` and request `set`/`add` of `:authority` or `host`. It must read as
 * `host` or `host:port`, as a Host header does (RFC 9110 §7.2).
 */
export function checkAuthorityValue(value: string, what: string): string | undefined {
  const refused = envoyRefusal(value, what)
  if (refused) return refused
  const bad = firstNonPrintable(value)
  if (bad) {
    const hint = bad.char.codePointAt(0)! > 0x7f ? 'write an international name in its ASCII (xn--) form' : 'remove it'
    return `${what} ${JSON.stringify(value)} contains ${describeChar(bad.char)}, which a Host cannot hold; ${hint}`
  }
  const usage = `${what} ${JSON.stringify(value)} is not a host or host:port`
  let host = value
  const portStart = value.startsWith('[') ? value.indexOf(']:') + 1 : value.lastIndexOf(':')
  if (portStart > 0) {
    const port = value.slice(portStart + 1)
    if (!/^[0-9]+$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `${usage}: the port "${port}" must be a number from 1 to 65535`
    host = value.slice(0, portStart)
  }
  if (host === '') return `${usage}: the host is empty`
  if (host.startsWith('[') ? !IP_LITERAL.test(host) : !REG_NAME.test(host)) {
    const offending = [...host].find((char) => !/[A-Za-z0-9\-._~!$&'()*+,;=%[\]:]/.test(char))
    return `${usage}${offending ? `: "${offending}" cannot appear in a host` : ''}; a path, query, user name or scheme belongs elsewhere (rewrite.uri, redirect.uri, redirect.scheme)`
  }
  return undefined
}

/** Reports a path value's problem at its field (an empty value is left to the emptiness rules). */
export function checkPathField(field: Field, value: string, what: string): void {
  const problem = value === '' ? undefined : checkPathValue(value, what)
  if (problem) field.error('REQUEST_PATH_INVALID', problem)
}

/** Reports an authority value's problem at its field (an empty value is left to the emptiness rules). */
export function checkAuthorityField(field: Field, value: string, what: string): void {
  const problem = value === '' ? undefined : checkAuthorityValue(value, what)
  if (problem) field.error('AUTHORITY_INVALID', problem)
}
