import { parseRequestUrl } from '@meshlet/rules'

/** Where a URL sends a request: what a MeshRequest needs of it. */
export interface UrlTarget {
  readonly scheme: 'http' | 'https'
  /** host[:port] as the URL parser normalises it (lower case, default port dropped). */
  readonly authority: string
  /** Path and query, never empty. */
  readonly path: string
}

interface Origin {
  readonly scheme: 'http' | 'https'
  readonly authority: string
}

/** Origins parsed so far; a process talks to few, so a small bound is plenty (cleared when full). */
const ORIGIN_CACHE_LIMIT = 256
const origins = new Map<string, Origin | null>()
let last: { readonly text: string; readonly origin: Origin | null } | undefined

/**
 * Parses an absolute http(s) URL. A string whose path and query the WHATWG parser would leave as
 * written (plain ASCII, no dot segments, no backslash) is split by hand and only its origin goes
 * through `URL`, once per origin; anything else is parsed in full. Undefined for another scheme,
 * credentials in the URL or a URL that does not parse.
 */
export function parseTarget(input: string | URL): UrlTarget | undefined {
  if (typeof input !== 'string') return fromUrl(input)
  const schemeEnd = input.indexOf('://')
  if (schemeEnd === 4 || schemeEnd === 5) {
    let pathStart = schemeEnd + 3
    while (pathStart < input.length && !isAuthorityEnd(input.charCodeAt(pathStart))) pathStart++
    const rest = input.slice(pathStart)
    if (isVerbatimPath(rest)) {
      // Most calls go to the origin the previous one went to: compared in place, no slice or hash.
      const origin = last !== undefined && last.text.length === pathStart && input.startsWith(last.text) ? last.origin : originOf(input.slice(0, pathStart))
      if (origin === null) return undefined
      if (origin !== undefined) return { scheme: origin.scheme, authority: origin.authority, path: rest === '' ? '/' : rest.charCodeAt(0) === 63 ? `/${rest}` : rest }
    }
  }
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return undefined
  }
  return fromUrl(url)
}

/** The URL's target, or undefined when the check mesh.fetch and explain share refuses it. */
function fromUrl(url: URL): UrlTarget | undefined {
  let scheme: UrlTarget['scheme']
  try {
    scheme = parseRequestUrl(url).scheme
  } catch {
    return undefined
  }
  return { scheme, authority: url.host, path: `${url.pathname}${url.search}` }
}

/** The parsed origin; null when it is not one we send to; undefined when it needs the full parser. */
function originOf(text: string): Origin | null | undefined {
  const cached = origins.get(text)
  if (cached !== undefined) {
    last = { text, origin: cached }
    return cached
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  // The origin alone must parse to itself plus "/"; otherwise (a backslash, an odd authority) the full parser decides.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined
  const target = fromUrl(url)
  const origin = target === undefined ? null : { scheme: target.scheme, authority: target.authority }
  if (origins.size >= ORIGIN_CACHE_LIMIT) origins.clear()
  origins.set(text, origin)
  last = { text, origin }
  return origin
}

/** `/`, `?`, `#` or `\` end the authority (WHATWG URL, special schemes). */
function isAuthorityEnd(code: number): boolean {
  return code === 47 || code === 63 || code === 35 || code === 92
}

/**
 * Whether the URL parser would keep this path and query exactly: printable ASCII without the
 * characters it percent-encodes or treats specially (space, quotes, <, >, `, {, }, \, #, ^, |),
 * and no `.` right after a `/` or a `%2e` that could be a dot segment.
 */
function isVerbatimPath(rest: string): boolean {
  if (rest.length > 0 && rest.charCodeAt(0) !== 47 && rest.charCodeAt(0) !== 63) return false
  let previous = 0
  for (let i = 0; i < rest.length; i++) {
    const code = rest.charCodeAt(i)
    if (code <= 32 || code >= 127 || VERBATIM_EXCLUDED[code] === 1) return false
    if (code === 46 && previous === 47) return false
    if (code === 37 && (rest.charCodeAt(i + 1) === 50) && (rest.charCodeAt(i + 2) | 32) === 101) return false
    previous = code
  }
  return true
}

/** 1 for the printable ASCII codes the parser would encode or treat specially (see isVerbatimPath). */
const VERBATIM_EXCLUDED = new Uint8Array(128)
for (const code of [34, 35, 39, 60, 62, 92, 94, 96, 123, 124, 125]) VERBATIM_EXCLUDED[code] = 1
