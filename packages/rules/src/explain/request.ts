import { MeshError } from '@meshlet/core'
import type { RouteRequest } from '../route/request.js'

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 }

export interface ParsedExplainRequest extends RouteRequest {
  readonly url: URL
}

/** Turns explain's input into a RouteRequest; a bad URL or empty method is MESHLET_ERR_INVALID_REQUEST. */
export function toRouteRequest(method: unknown, url: unknown, headers: Readonly<Record<string, string | readonly string[] | undefined>> = {}): ParsedExplainRequest {
  if (typeof method !== 'string' || method.trim() === '') {
    throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `explain needs an HTTP method such as GET, got ${JSON.stringify(method)}`)
  }
  let parsed: URL
  try {
    parsed = new URL(String(url))
  } catch (cause) {
    throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `explain needs an absolute URL such as http://reviews:9080/reviews/1, got ${JSON.stringify(url)}`, { cause })
  }
  if (parsed.host === '') {
    throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `explain needs a URL with a host, got ${JSON.stringify(url)}`)
  }
  const scheme = parsed.protocol.slice(0, -1)
  const lowered = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    lowered.set(name.toLowerCase(), typeof value === 'string' ? value : value.join(','))
  }
  return {
    url: parsed,
    method: method.trim(),
    scheme,
    authority: parsed.host,
    path: parsed.pathname,
    query: parsed.search.startsWith('?') ? parsed.search.slice(1) : parsed.search,
    pathWithQuery: `${parsed.pathname}${parsed.search}`,
    port: parsed.port !== '' ? Number(parsed.port) : DEFAULT_PORTS[scheme],
    header: (name) => lowered.get(name),
  }
}
