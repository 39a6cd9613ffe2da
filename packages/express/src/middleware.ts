import { inboundContextFactory, runWithInboundContext } from '@meshlet/core'
import { inboundDeadline } from '@meshlet/resilience'
import type { RequestHandler } from 'express'
import { applyCorsDecision, corsDecisionFor } from './cors.js'
import { DEFAULT_EXPRESS_OPTIONS, checkExpressArguments } from './options.js'
import type { InboundAdapterMesh, MeshletExpressOptions } from './options.js'

/**
 * Express middleware giving each inbound request a context, so that every `mesh.fetch` made while
 * handling it carries the request's propagated headers (`x-request-id`, generated when absent;
 * trace context; every header a loaded VirtualService matches on, such as `end-user`), stays
 * within the deadline the request brings (`x-envoy-expected-rq-timeout-ms`, `grpc-timeout`) and
 * knows the caller's address (consistent hash `useSourceIp`). It also answers CORS as the
 * service's own VirtualService `corsPolicy` says. Mount it before the routes that call the mesh.
 */
export function meshletExpress(mesh: InboundAdapterMesh, options: MeshletExpressOptions = {}): RequestHandler {
  checkExpressArguments(mesh, options)
  const contextFor = inboundContextFactory(mesh, {
    propagate: options.propagate,
    generateRequestId: options.generateRequestId,
    readDeadline: inboundDeadline,
  })
  const cors = options.cors ?? DEFAULT_EXPRESS_OPTIONS.cors
  const ownHost = options.host

  return function meshletInbound(req, res, next) {
    if (cors && req.headers.origin !== undefined && applyCorsDecision(corsDecisionFor(mesh, req, ownHost), res)) return
    // req.ip honours Express's `trust proxy` setting, as Envoy's remote address honours trusted hops.
    runWithInboundContext(contextFor(req.headers, req.ip ?? req.socket.remoteAddress), next)
  }
}
