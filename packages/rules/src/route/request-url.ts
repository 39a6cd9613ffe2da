import { MeshError } from '@meshlet/core'

/** The URL schemes the mesh sends requests with. */
export type RequestScheme = 'http' | 'https'

export interface RequestUrl {
  readonly url: URL
  readonly scheme: RequestScheme
}

/**
 * The one check of a request URL, shared by `mesh.fetch` and `explain` (the API and `meshlet
 * explain --request`), so both refuse the same URLs with the same words: one that does not parse
 * (a port above 65535, no scheme), another scheme than http or https, credentials in the URL, or
 * no host. Throws MESHLET_ERR_INVALID_REQUEST; the caller puts its own name in front of the message.
 * One `new URL` and a few comparisons: cheap enough for every call of mesh.fetch.
 */
export function parseRequestUrl(input: string | URL): RequestUrl {
  const url = input instanceof URL ? input : parseOrExplain(input)
  const scheme = url.protocol === 'http:' ? 'http' : url.protocol === 'https:' ? 'https' : undefined
  if (scheme === undefined) throw invalidUrl(`unsupported URL scheme "${url.protocol}" in ${url.href} (http and https only)`)
  if (url.username !== '' || url.password !== '') throw invalidUrl(`a URL with credentials cannot be fetched: ${url.origin}; send them in a header (Authorization) instead`)
  if (url.hostname === '') throw invalidUrl(`the URL ${url.href} has no host`)
  return { url, scheme }
}

function parseOrExplain(text: string): URL {
  try {
    return new URL(text)
  } catch {
    throw invalidUrl(`cannot parse URL ${JSON.stringify(text)}${whyNotParsed(text)}`)
  }
}

/** A hint for the common reasons the URL parser gives no reason for. */
function whyNotParsed(text: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return ': an absolute URL is needed, such as http://reviews:9080/reviews/1'
  const port = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):([^/?#]*)/.exec(text)?.[1]
  if (port !== undefined && (!/^[0-9]*$/.test(port) || Number(port) > 65535)) return `: the port "${port}" must be a number from 1 to 65535`
  return ''
}

function invalidUrl(message: string): MeshError {
  return new MeshError('MESHLET_ERR_INVALID_REQUEST', message)
}

/** Methods fetch upper-cases (fetch spec, "normalize a method"); others are kept as written. */
const NORMALIZED_METHODS: ReadonlySet<string> = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * The method as `mesh.fetch` sends it, shared with `explain` so both match `method` rules alike:
 * an HTTP token, the six standard methods upper-cased, CONNECT, TRACE and TRACK refused (fetch
 * refuses them). Throws MESHLET_ERR_INVALID_REQUEST.
 */
export function normalizeRequestMethod(method: string): string {
  if (method === '' || !METHOD_TOKEN.test(method)) throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `invalid method ${JSON.stringify(method)}`)
  const upper = method.toUpperCase()
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `method ${upper} is not allowed by fetch`)
  return NORMALIZED_METHODS.has(upper) ? upper : method
}
