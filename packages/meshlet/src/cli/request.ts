/** The request given on the command line: `--request "GET http://reviews/x"` and `-H "k: v"`. */
import { isMeshError } from '@meshlet/core'
import { normalizeRequestMethod, parseRequestUrl } from '@meshlet/rules'
import type { CommandSpec } from './args.js'
import { usageError } from './args.js'

export interface CliRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
}

/**
 * `"GET http://reviews/x"`, or just the URL for a GET. The URL and the method are checked by the
 * code mesh.fetch uses, so a request mesh.fetch would refuse is a usage error (exit 2) here, with
 * the same words.
 */
export function parseRequestOption(text: string, spec: CommandSpec): { method: string; url: string } {
  const parts = text.trim().split(/\s+/)
  let method: string
  let url: string
  if (parts.length === 1 && parts[0] !== '') [method, url] = ['GET', parts[0]!]
  else if (parts.length === 2) [method, url] = [parts[0]!, parts[1]!]
  else throw usageError(spec.name, `--request takes "METHOD URL", e.g. "GET http://reviews/reviews/1", got ${JSON.stringify(text)}`)
  try {
    parseRequestUrl(url)
    normalizeRequestMethod(method)
  } catch (error) {
    if (isMeshError(error, 'MESHLET_ERR_INVALID_REQUEST')) throw usageError(spec.name, `--request: ${error.message}`)
    throw error
  }
  return { method, url }
}

/**
 * `-H "end-user: jason"`, repeatable; names are lower-cased and a repeated name joins with ", " as HTTP does.
 * Pseudo-headers are refused: `:method`, `:scheme`, `:authority` and `:path` come from --request,
 * as Envoy takes them from the request line, so a -H of that name would change nothing.
 */
export function parseHeaderOptions(texts: readonly string[], spec: CommandSpec): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const text of texts) {
    const colon = text.indexOf(':', text.startsWith(':') ? 1 : 0)
    const name = colon === -1 ? '' : text.slice(0, colon).trim().toLowerCase()
    if (name === '') throw usageError(spec.name, `-H takes "name: value", got ${JSON.stringify(text)}`)
    if (name.startsWith(':')) {
      throw usageError(spec.name, `-H cannot set the pseudo-header ${name}: :method, :scheme, :authority and :path come from --request "METHOD URL"`)
    }
    const value = text.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  return headers
}
