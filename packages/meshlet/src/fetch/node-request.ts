import { MeshError, isMeshError } from '@meshlet/core'
import type { Cancellation, MeshBody, MeshRequest } from '@meshlet/core'
import { parseTarget } from './url-target.js'
import { parseRequestUrl } from '@meshlet/rules'

/** Request headers as undici.request takes them: an object (repeats as lists) or a flat name/value list. */
export type RequestHeadersInit = Readonly<Record<string, string | readonly string[] | number | undefined>> | readonly string[]

/** The options of `mesh.request`, a subset of undici.request's. */
export interface MeshRequestOptions {
  /** Upper-case by convention; sent as written. Default GET. */
  readonly method?: string
  readonly headers?: RequestHeadersInit
  /** Sent as given: bytes and strings can be retried and mirrored, streams are read once. */
  readonly body?: MeshBody | undefined
  readonly signal?: AbortSignal | undefined
  /**
   * Instead of `signal`: a @meshlet/core Cancellation the caller cancels to stop the call, for
   * callers that make many calls and need no AbortSignal (an AbortController costs microseconds
   * per call on Node 20; @meshlet/grpc uses this). The call then rejects with the mesh's own
   * failure (`UpstreamFailureError`, reason `cancelled`). The caller owns the token: the mesh
   * never releases it.
   */
  readonly cancellation?: Cancellation | undefined
  /**
   * The protocol the caller speaks, when it is HTTP/2 (the gRPC ingress of @meshlet/grpc): a port
   * with no declared protocol, which Istio sniffs, is then called over HTTP/2. Default HTTP/1.1.
   */
  readonly callerProtocol?: 'http1' | 'h2' | undefined
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * `mesh.request(url, options)` arguments as a MeshRequest: one URL parse (cached per origin),
 * lower-case headers (repeats joined with ", "), the body as given. Errors are MeshErrors
 * (MESHLET_ERR_INVALID_REQUEST).
 */
export function toNodeMeshRequest(url: string | URL, options: MeshRequestOptions | undefined): MeshRequest {
  const target = parseTarget(url)
  if (target === undefined) throw whyRefused(url)
  const method = options?.method ?? 'GET'
  if (method !== 'GET' && !TOKEN.test(method)) throw invalid(`invalid method "${method}"`)
  const body = options?.body ?? null
  if ((method === 'GET' || method === 'HEAD') && body !== null) throw invalid(`a ${method} request cannot have a body`)
  if (options?.signal != null && options.cancellation !== undefined) throw invalid('give either `signal` or `cancellation`, not both')
  return {
    method,
    scheme: target.scheme,
    authority: target.authority,
    path: target.path,
    headers: readHeaders(options?.headers),
    body,
    ...(options?.callerProtocol === 'h2' && { callerProtocol: 'h2' as const }),
  }
}

/** Shared by requests without headers: layers never change a request's headers in place (they copy). */
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

function readHeaders(init: RequestHeadersInit | undefined): Readonly<Record<string, string>> {
  if (init === undefined) return NO_HEADERS
  const out: Record<string, string> = {}
  if (Array.isArray(init)) {
    const list = init as readonly string[]
    if (list.length % 2 !== 0) throw invalid('headers as a list need name, value pairs')
    for (let i = 0; i < list.length; i += 2) append(out, String(list[i]), list[i + 1])
    return out
  }
  const record = init as Readonly<Record<string, string | readonly string[] | number | undefined>>
  for (const name in record) append(out, name, record[name])
  return out
}

function append(out: Record<string, string>, name: string, value: string | readonly string[] | number | undefined): void {
  if (value === undefined) return
  const lower = name.toLowerCase()
  const text = typeof value === 'object' ? value.map((item) => String(item).trim()).join(', ') : String(value).trim()
  const existing = out[lower]
  out[lower] = existing === undefined ? text : `${existing}, ${text}`
}

/** The reason the URL check mesh.fetch and explain share gives (never echoing credentials), as mesh.request's error. */
function whyRefused(url: string | URL): MeshError {
  try {
    parseRequestUrl(url)
  } catch (error) {
    if (isMeshError(error, 'MESHLET_ERR_INVALID_REQUEST')) return invalid(error.message)
    throw error
  }
  return invalid('an absolute http or https URL is needed')
}

function invalid(message: string): MeshError {
  return new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.request: ${message}`)
}
