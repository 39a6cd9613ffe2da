import type { MeshEndpoint, MeshRequest, TryState } from '@meshlet/core'
import type { PickContext } from '../balancer/context.js'
import type { GeneratedCookie } from '../consistent-hash/cookie.js'

/**
 * The hash-key inputs and retry state of one try, read from the data plane's request and call
 * context. Headers, cookies and query parameters are only looked at when a consistent-hash policy
 * asks for them.
 */
export class RequestPickContext implements PickContext<MeshEndpoint> {
  readonly attempted: readonly MeshEndpoint[]
  readonly sourceIp: string | undefined
  /** Set when a cookie policy generated a cookie during the pick. */
  generatedCookie: GeneratedCookie | undefined

  constructor(
    private readonly request: MeshRequest,
    state: TryState,
    readonly avoidAttempted: boolean,
  ) {
    this.attempted = state.tried
    this.sourceIp = state.call.inbound?.sourceIp
  }

  header(name: string): string | undefined {
    return this.request.headers[name]
  }

  cookie(name: string): string | undefined {
    return cookieValue(this.request.headers.cookie, name) ?? this.generatedCookie?.value
  }

  query(name: string): string | undefined {
    return queryValue(this.request.path, name)
  }

  setCookie(cookie: GeneratedCookie): void {
    this.generatedCookie = cookie
  }
}

/** The value of a cookie in a Cookie header (`a=1; b=2`), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=')
    if (separator < 0) continue
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim()
  }
  return undefined
}

/** The first value of a query parameter of a path, decoded, or undefined. */
export function queryValue(path: string, name: string): string | undefined {
  const question = path.indexOf('?')
  if (question < 0) return undefined
  const value = new URLSearchParams(path.slice(question + 1)).get(name)
  return value ?? undefined
}
