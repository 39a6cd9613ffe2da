import { STATUS_CODES } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { MeshRequestAnswer } from './mesh-request.js'

/** What got reads from a response besides the body stream (the fields of http.IncomingMessage it uses). */
export interface IncomingResponse extends Readable {
  statusCode: number
  statusMessage: string
  headers: IncomingHttpHeaders
  rawHeaders: string[]
  httpVersion: string
  httpVersionMajor: number
  httpVersionMinor: number
  trailers: Record<string, string>
  rawTrailers: string[]
  complete: boolean
}

/** Headers Node's http client keeps only once when repeated (http.IncomingMessage, "message.headers"). */
const SINGLE_VALUE = new Set(['age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after', 'server', 'user-agent'])

/**
 * mesh.request's answer as the http.IncomingMessage got expects: its body stream itself (read as
 * it arrives, not buffered), the status, and the headers as Node gives them (lower-case names,
 * `set-cookie` as a list, other repeats joined with ", " or, for single-value headers, the first
 * kept). A body that fails mid-way makes the stream emit 'error', which got reports as a ReadError.
 */
export function toIncomingResponse(answer: MeshRequestAnswer): IncomingResponse {
  const headers: IncomingHttpHeaders = {}
  const rawHeaders: string[] = []
  for (const name in answer.headers) {
    const value = answer.headers[name]!
    const values: readonly string[] = typeof value === 'string' ? [value] : value
    for (const item of values) rawHeaders.push(name, item)
    if (name === 'set-cookie') headers[name] = [...values]
    else headers[name] = SINGLE_VALUE.has(name) ? values[0] : values.join(', ')
  }
  const incoming = Object.assign(answer.body, {
    statusCode: answer.statusCode,
    statusMessage: STATUS_CODES[answer.statusCode] ?? '',
    headers,
    rawHeaders,
    httpVersion: '1.1',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    trailers: {},
    rawTrailers: [],
    complete: false,
  })
  incoming.once('end', () => {
    incoming.complete = true
  })
  return incoming
}
