import { STATUS_CODES } from 'node:http'
import { discardBody } from '@meshlet/core'
import type { MeshResponse, ResponseTrailers } from '@meshlet/core'
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
  if (response.trailers !== undefined) trailersByResponse.set(result, response.trailers)
  return result
}

/** The trailers of the Responses mesh.fetch made from an HTTP/2 answer (fetch's Response has no place for them). */
const trailersByResponse = new WeakMap<Response, ResponseTrailers>()

/**
 * The trailers of a Response from mesh.fetch, once its body has been read to the end (gRPC puts
 * grpc-status there): a Headers object, empty when the answer had none (HTTP/1, a local reply);
 * undefined when the body failed or was cancelled before its end.
 */
export function responseTrailers(response: Response): Promise<Headers | undefined> {
  const trailers = trailersByResponse.get(response)
  if (trailers === undefined) return Promise.resolve(new Headers())
  return new Promise((resolve) =>
    trailers.whenReceived((received) => {
      if (received === undefined) return resolve(undefined)
      const headers = new Headers()
      for (const name in received) {
        const value = received[name]!
        if (typeof value === 'string') headers.append(name, value)
        else for (const item of value) headers.append(name, item)
      }
      resolve(headers)
    }),
  )
}
