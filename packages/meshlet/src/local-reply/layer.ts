import { failureOutcome, localReply, statusForFailure } from '@meshlet/core'
import type { MeshLayer } from '../call-context.js'

/**
 * Answers a call that ended without an upstream response the way Envoy answers its client: 503
 * (504 for timeouts) with the reason in x-meshlet-reason. A call the caller cancelled keeps its
 * failure: the entry point rejects it with the caller's abort reason, as an aborted fetch does.
 * Errors that are not upstream failures (a bad request, a bug) propagate unchanged.
 */
export function createFailureReplyLayer(): MeshLayer {
  return (next) => (request, context) =>
    next(request, context).catch((error: unknown) => {
      const outcome = failureOutcome(error)
      if (outcome === undefined || outcome.reason === 'cancelled') throw error
      return localReply(statusForFailure(outcome.reason), outcome.reason)
    })
}
