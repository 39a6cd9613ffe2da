import type { IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

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

/**
 * A fetch Response as the http.IncomingMessage got expects: the body as a Node stream read as it
 * arrives (not buffered), the status, and the headers as Node gives them (lower-case names,
 * `set-cookie` as a list). A body that fails mid-way makes the stream emit 'error', which got
 * reports as a ReadError.
 */
export function toIncomingResponse(response: Response): IncomingResponse {
  const body = response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
  const headers: IncomingHttpHeaders = {}
  const rawHeaders: string[] = []
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return
    headers[name] = value
    rawHeaders.push(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) {
    headers['set-cookie'] = cookies
    for (const cookie of cookies) rawHeaders.push('set-cookie', cookie)
  }
  const incoming = Object.assign(body, {
    statusCode: response.status,
    statusMessage: response.statusText,
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
