import { failureOutcome, localReply, statusForFailure } from '@meshlet/core'
import type { Layer, MeshRequest, MeshResponse } from '@meshlet/core'
import type { MeshCallContext } from '../call-context.js'

/**
 * Answers a call that ended without an upstream response the way Envoy answers its client: 503
 * (504 for timeouts) with the reason in x-meshlet-reason. A cancelled call (the caller aborted)
 * rejects with the abort reason instead, as an aborted fetch does. Errors that are not upstream
 * failures (a bad request, a bug) propagate unchanged.
 */
export function createFailureReplyLayer(): Layer<MeshRequest, MeshResponse, MeshCallContext> {
  return (next) => (request, context) =>
    next(request, context).catch((error: unknown) => {
      const outcome = failureOutcome(error)
      if (outcome === undefined) throw error
      if (outcome.reason === 'cancelled') throw request.signal?.reason ?? outcome.error
      return localReply(statusForFailure(outcome.reason), outcome.reason)
    })
}
