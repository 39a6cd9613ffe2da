import type { IncomingMessage, ServerResponse } from 'node:http'

/** Express middleware shape, without depending on Express. */
export type ExpressMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

/**
 * The gateway as Express middleware: every request that reaches it is routed by the gateway and
 * answered (a host no route serves gets 404, as at Istio's gateway). Mount it where the gateway
 * should take over; middleware before it (logging, authentication) runs first. The request body
 * must not have been read by a body parser before it.
 */
export function expressMiddleware(handle: (req: IncomingMessage, res: ServerResponse) => void): ExpressMiddleware {
  return function meshletGateway(req, res, next) {
    try {
      handle(req, res)
    } catch (error) {
      next(error)
    }
  }
}
