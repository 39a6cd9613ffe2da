import { STATUS_CODES } from 'node:http'
import { discardBody } from '@meshlet/core'
import type { MeshResponse } from '@meshlet/core'
import { toWebStream } from './web-body.js'

/** Statuses whose Response may not have a body (fetch spec "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * A MeshResponse as the WHATWG Response `fetch` returns. The body stream is handed over as is (no
 * copy). `url` and `redirected` are set as fetch sets them. A status outside 200..599, which
 * Istio allows for directResponse and fault aborts (up to 600) but the Response constructor
 * refuses, is built as 599 and then reports the real status.
 */
export function toFetchResponse(response: MeshResponse, url: string, redirected: boolean, method: string): Response {
  const headers = new Headers()
  for (const name in response.headers) {
    const value = response.headers[name]!
    if (typeof value === 'string') headers.append(name, value)
    else for (const item of value) headers.append(name, item)
  }
  const status = response.status
  const constructible = status >= 200 && status <= 599 ? status : 599
  const bodyless = NULL_BODY_STATUSES.has(status) || method === 'HEAD'
  if (bodyless) discardBody(response.body)
  const body = bodyless || response.body === null ? null : toWebStream(response.body)
  const result = new Response(body, { status: constructible, statusText: STATUS_CODES[status] ?? '', headers })
  if (constructible !== status) Object.defineProperty(result, 'status', { value: status })
  Object.defineProperty(result, 'url', { value: url })
  if (redirected) Object.defineProperty(result, 'redirected', { value: true })
  return result
}
