import { isMeshError, MeshError } from '@meshlet/core'
import type { MeshRequest } from '@meshlet/core'
import { normalizeRequestMethod, parseRequestUrl } from '@meshlet/rules'
import { convertBody } from './request-body.js'

/** fetch's redirect modes. */
export type RedirectMode = 'follow' | 'manual' | 'error'

export interface ConvertedRequest {
  readonly request: MeshRequest
  readonly url: URL
  readonly redirect: RedirectMode
  /** The caller's abort signal (init's, else the Request's); the mesh makes the call's cancellation from it. */
  readonly signal: AbortSignal | undefined
}

/**
 * The arguments of `fetch(input, init)` as a MeshRequest: the URL's scheme, authority and path,
 * lower-case headers (repeated ones joined with ", " as Headers does), the body as given (not
 * read), and the signal beside it. Errors are MeshErrors (MESHLET_ERR_INVALID_REQUEST) naming what is wrong;
 * the URL and the method go through the checks `explain` uses too, so both refuse the same input.
 */
export function toMeshRequest(input: string | URL | Request, init: RequestInit | undefined): ConvertedRequest {
  const fromRequest = typeof input === 'object' && !(input instanceof URL) ? input : undefined
  const { url, scheme } = ownError(parseRequestUrl, fromRequest ? fromRequest.url : (input as string | URL))
  const method = ownError(normalizeRequestMethod, init?.method ?? fromRequest?.method ?? 'GET')
  const headers = readHeaders(init?.headers ?? fromRequest?.headers)
  const rawBody = init && 'body' in init ? init.body : (fromRequest?.body ?? null)
  if ((method === 'GET' || method === 'HEAD') && rawBody !== null && rawBody !== undefined) {
    throw invalid(`a ${method} request cannot have a body`)
  }
  let converted
  try {
    converted = convertBody(rawBody)
  } catch (error) {
    throw invalid((error as Error).message)
  }
  if (converted.contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = converted.contentType

  const redirect = (init?.redirect ?? fromRequest?.redirect ?? 'follow') as RedirectMode
  return {
    url,
    redirect,
    signal: init?.signal ?? fromRequest?.signal ?? undefined,
    request: {
      method,
      scheme,
      authority: url.host,
      path: `${url.pathname}${url.search}`,
      headers,
      body: converted.body,
    },
  }
}

/** Runs a shared check, naming mesh.fetch in its error. */
function ownError<A, R>(check: (argument: A) => R, argument: A): R {
  try {
    return check(argument)
  } catch (error) {
    if (isMeshError(error, 'MESHLET_ERR_INVALID_REQUEST')) throw invalid(error.message)
    throw error
  }
}

/** Headers from any HeadersInit into a plain lower-case map; plain objects skip the Headers class. */
type HeadersInit = ConstructorParameters<typeof Headers>[0]

function readHeaders(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (init === undefined) return out
  if (!(init instanceof Headers) && !Array.isArray(init) && typeof init === 'object' && typeof (init as unknown as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    for (const name in init) {
      const value = (init as Record<string, string | undefined>)[name]
      if (value === undefined) continue
      const lower = name.toLowerCase()
      const text = String(value).trim()
      out[lower] = out[lower] === undefined ? text : `${out[lower]}, ${text}`
    }
    return out
  }
  let headers: Headers
  try {
    headers = init instanceof Headers ? init : new Headers(init)
  } catch (error) {
    throw invalid((error as Error).message)
  }
  headers.forEach((value, name) => {
    out[name] = value
  })
  return out
}

function invalid(message: string): MeshError {
  return new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: ${message}`)
}
