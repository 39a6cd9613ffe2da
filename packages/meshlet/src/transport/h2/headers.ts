import type { OutgoingHttpHeaders } from 'node:http2'
import type { MeshRequest } from '@meshlet/core'
import { EXPECTED_TIMEOUT_HEADER } from '../hop-headers.js'

/**
 * Headers HTTP/2 forbids on a request (RFC 9113 §8.2.2: connection-specific fields), which Node
 * refuses to send; Host travels as :authority. `te` is kept only as `trailers`, the one value
 * HTTP/2 allows (gRPC requires it).
 */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'expect', 'http2-settings'])

/**
 * The header block of one HTTP/2 request: pseudo-headers from the request line, the request's
 * headers minus connection-specific ones, and the time the try has left (Envoy's
 * x-envoy-expected-rq-timeout-ms, at least 1) as the HTTP/1 transport sends it.
 */
export function h2RequestHeaders(request: MeshRequest, scheme: 'http' | 'https', timeLeftMs: number | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {
    ':method': request.method,
    ':scheme': scheme,
    ':authority': request.authority,
    ':path': request.path,
  }
  const headers = request.headers
  for (const name in headers) {
    if (CONNECTION_SPECIFIC.has(name)) continue
    const value = headers[name]!
    if (name === 'te' && value.toLowerCase() !== 'trailers') continue
    if (timeLeftMs !== undefined && name === EXPECTED_TIMEOUT_HEADER) continue
    out[name] = value
  }
  if (timeLeftMs !== undefined) out[EXPECTED_TIMEOUT_HEADER] = String(Math.max(1, Math.ceil(timeLeftMs)))
  return out
}

/** A response header block without its pseudo-headers (`:status`), names already lower-case. */
export function h2ResponseHeaders(headers: Readonly<Record<string, string | string[] | number | undefined>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const name in headers) {
    if (name.charCodeAt(0) === 58 /* ':' */) continue
    const value = headers[name]
    if (value === undefined) continue
    out[name] = typeof value === 'number' ? String(value) : value
  }
  return out
}
