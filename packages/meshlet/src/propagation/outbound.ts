import { TRACE_CONTEXT_HEADERS } from '@meshlet/core'
import type { InboundContext, MeshRequest } from '@meshlet/core'

// Trace context (core's TRACE_CONTEXT_HEADERS) may follow a call anywhere, as a tracer's propagator
// sends it. Every other header handed on from the inbound request (`end-user`, a header a
// VirtualService matches on, what an adapter's `propagate.add` names) says who the user is or how to
// route them: it is meant for the mesh's own services only.

const NONE: readonly string[] = Object.freeze([])

/** An outbound request with the inbound headers added, and which of those only in-mesh hosts may see. */
export interface PropagatedRequest {
  readonly request: MeshRequest
  /** Names meshlet added that are not trace context: dropped before the call leaves the mesh. */
  readonly meshOnly: readonly string[]
}

/** Adds the inbound request's propagated headers the caller did not set itself. */
export function withPropagatedHeaders(request: MeshRequest, inbound: InboundContext): PropagatedRequest {
  let headers: Record<string, string> | undefined
  let meshOnly: string[] | undefined
  for (const name in inbound.propagatedHeaders) {
    if (request.headers[name] !== undefined) continue
    headers ??= { ...request.headers }
    headers[name] = inbound.propagatedHeaders[name]!
    if (!TRACE_CONTEXT_HEADERS.has(name)) (meshOnly ??= []).push(name)
  }
  return headers === undefined ? { request, meshOnly: NONE } : { request: { ...request, headers }, meshOnly: meshOnly ?? NONE }
}

/** The request without the mesh-only headers meshlet added, for a destination outside the mesh. */
export function withoutMeshOnlyHeaders(request: MeshRequest, meshOnly: readonly string[]): MeshRequest {
  if (meshOnly.length === 0) return request
  const headers: Record<string, string> = {}
  for (const name in request.headers) if (!meshOnly.includes(name)) headers[name] = request.headers[name]!
  return { ...request, headers }
}

export const NO_MESH_ONLY_HEADERS = NONE
