import type { MeshBody } from './body.js'
import type { MeshHeaders } from './headers.js'

/**
 * One outbound HTTP request as every layer sees it. Immutable: a layer that changes something
 * (a rewrite, a header operation) passes a new object downstream
 * (`{ ...request, path }`), so a retry or a mirror never sees another layer's edits by accident.
 */
export interface MeshRequest {
  /** Upper-case method (`GET`, `POST`, ...). */
  readonly method: string
  readonly scheme: 'http' | 'https'
  /**
   * The authority the caller addressed (`reviews:9080`), sent upstream as Host unless a rule
   * rewrites it, as a sidecar does.
   */
  readonly authority: string
  /** Path and query, as sent (`/reviews/1?x=y`). */
  readonly path: string
  /** Lower-case names. Host is not in here: `authority` is. */
  readonly headers: MeshHeaders
  readonly body: MeshBody
  /**
   * Set to `h2` when the caller speaks HTTP/2 (a gRPC channel through @meshlet/grpc); absent for
   * mesh.fetch and mesh.request callers, which speak HTTP/1.1. A port Istio would sniff keeps it.
   */
  readonly callerProtocol?: 'h2' | undefined
}

// Cancellation is not part of the request: the call's and each try's live in their state
// (CallContext, TryState), made once from the caller's AbortSignal at the entry point.

/** The path without its query string (what Istio's uri match compares). */
export function pathWithoutQuery(path: string): string {
  const question = path.indexOf('?')
  return question === -1 ? path : path.slice(0, question)
}

/** Splits an authority into host and port; IPv6 literals keep their brackets off (`[::1]:80` → `::1`, 80). */
export function splitAuthority(authority: string): { readonly host: string; readonly port: number | undefined } {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']')
    const host = authority.slice(1, close === -1 ? undefined : close)
    const rest = close === -1 ? '' : authority.slice(close + 1)
    return { host, port: rest.startsWith(':') ? toPort(rest.slice(1)) : undefined }
  }
  const colon = authority.lastIndexOf(':')
  if (colon === -1 || authority.indexOf(':') !== colon) return { host: authority, port: undefined }
  return { host: authority.slice(0, colon), port: toPort(authority.slice(colon + 1)) }
}

/** The port a request addresses: the authority's, or the scheme's default (80/443). */
export function requestPort(request: Pick<MeshRequest, 'scheme' | 'authority'>): number {
  return splitAuthority(request.authority).port ?? (request.scheme === 'https' ? 443 : 80)
}

function toPort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined
  const port = Number(text)
  return port >= 1 && port <= 65535 ? port : undefined
}
