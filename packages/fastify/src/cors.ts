import { meshHeadersOf } from '@meshlet/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CorsDecision } from 'meshlet'
import type { InboundAdapterMesh } from './options.js'

/**
 * The CORS decision for this request, from the `corsPolicy` of the route it matches on the
 * service's own host. Only requests with an Origin header are looked up (the others never get
 * CORS headers, as in Envoy's CORS filter).
 */
export function corsDecisionFor(mesh: InboundAdapterMesh, request: FastifyRequest, ownHost: string | undefined): CorsDecision {
  return mesh.cors({
    method: request.method,
    scheme: request.protocol,
    authority: ownHost ?? request.headers.host ?? '',
    path: request.url,
    headers: meshHeadersOf(request.headers),
  })
}

/**
 * Acts on the decision as Envoy's CORS filter does; returns true when the request has been
 * answered here (the hook must then not call `done`). A preflight is answered with 200 and no
 * body; an unmatched preflight with `unmatchedPreflights: IGNORE` gets a 200 without CORS
 * headers. On an actual request the headers are set before the handler runs (as @fastify/cors
 * does by default), so a handler that sets its own CORS headers wins where Envoy's would be
 * overwritten.
 */
export function applyCorsDecision(decision: CorsDecision, reply: FastifyReply): boolean {
  switch (decision.kind) {
    case 'preflight':
      setHeaders(reply, decision.headers)
      void reply.code(200).send()
      return true
    case 'ignore':
      void reply.code(200).send()
      return true
    case 'actual':
      setHeaders(reply, decision.headers)
      return false
    case 'forward':
    case 'none':
      return false
  }
}

function setHeaders(reply: FastifyReply, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) {
    const value = headers[name]!
    // Vary is appended to, not replaced: another hook may have added to it.
    const vary = name === 'vary' ? reply.getHeader('vary') : undefined
    reply.header(name, vary === undefined ? value : `${String(vary)}, ${value}`)
  }
}
