import { meshHeadersOf } from '@meshlet/core'
import type { Request, Response } from 'express'
import type { CorsDecision } from 'meshlet'
import type { InboundAdapterMesh } from './options.js'

/**
 * The CORS decision for this request, from the `corsPolicy` of the route it matches on the
 * service's own host. Only requests with an Origin header are looked up (the others never get
 * CORS headers, as in Envoy's CORS filter).
 */
export function corsDecisionFor(mesh: InboundAdapterMesh, req: Request, ownHost: string | undefined): CorsDecision {
  return mesh.cors({
    method: req.method,
    scheme: req.protocol === 'https' ? 'https' : 'http',
    authority: ownHost ?? req.headers.host ?? '',
    path: req.originalUrl,
    headers: meshHeadersOf(req.headers),
  })
}

/**
 * Acts on the decision as Envoy's CORS filter does; returns true when the request has been
 * answered here. A preflight is answered with 200 and no body; an unmatched preflight with
 * `unmatchedPreflights: IGNORE` gets a 200 without CORS headers. On an actual request the
 * headers are set before the handler runs (as the `cors` middleware does), so a handler that
 * sets its own CORS headers wins where Envoy's would be overwritten.
 */
export function applyCorsDecision(decision: CorsDecision, res: Response): boolean {
  switch (decision.kind) {
    case 'preflight':
      setHeaders(res, decision.headers)
      res.status(200).end()
      return true
    case 'ignore':
      res.status(200).end()
      return true
    case 'actual':
      setHeaders(res, decision.headers)
      return false
    case 'forward':
    case 'none':
      return false
  }
}

function setHeaders(res: Response, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) {
    // Vary is appended to, not replaced: the handler or a compression middleware may add to it.
    if (name === 'vary') res.vary(headers[name]!)
    else res.setHeader(name, headers[name]!)
  }
}
