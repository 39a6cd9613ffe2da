import { isMeshError, MeshError } from '@meshlet/core'
import type { RouteRequest } from '../route/request.js'
import { normalizeRequestMethod, parseRequestUrl } from '../route/request-url.js'

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 }

export interface ParsedExplainRequest extends RouteRequest {
  readonly url: URL
}

/**
 * Turns explain's input into a RouteRequest. The URL and the method are checked by the same code
 * as mesh.fetch's, so explain refuses exactly what a call would; MESHLET_ERR_INVALID_REQUEST.
 */
export function toRouteRequest(method: unknown, url: unknown, headers: Readonly<Record<string, string | readonly string[] | undefined>> = {}): ParsedExplainRequest {
  if (typeof method !== 'string' || method.trim() === '') {
    throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `explain needs an HTTP method such as GET, got ${JSON.stringify(method)}`)
  }
  const { url: parsed, scheme } = explainOwn(() => parseRequestUrl(url instanceof URL ? url : String(url)))
  const normalizedMethod = explainOwn(() => normalizeRequestMethod(method.trim()))
  const lowered = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    lowered.set(name.toLowerCase(), typeof value === 'string' ? value : value.join(','))
  }
  return {
    url: parsed,
    method: normalizedMethod,
    scheme,
    authority: parsed.host,
    path: parsed.pathname,
    query: parsed.search.startsWith('?') ? parsed.search.slice(1) : parsed.search,
    pathWithQuery: `${parsed.pathname}${parsed.search}`,
    port: parsed.port !== '' ? Number(parsed.port) : DEFAULT_PORTS[scheme],
    header: (name) => lowered.get(name),
  }
}

/** Runs a shared check and names explain as the one refusing. */
function explainOwn<T>(check: () => T): T {
  try {
    return check()
  } catch (error) {
    if (isMeshError(error, 'MESHLET_ERR_INVALID_REQUEST')) throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `explain: ${error.message}`, { cause: error })
    throw error
  }
}
