import { MeshError } from '../errors/mesh-error.js'
import type { FailureOutcome, FailureReason } from '../outcome/outcome.js'

/**
 * Thrown by the transport (and by per-try timeouts) when a try ends without an upstream response.
 * Retry and outlier detection read `outcome`; if nothing above handles it, meshlet answers with
 * `localReply(statusForFailure(reason), reason)`, as Envoy does, except `cancelled`, which rejects
 * the caller's fetch like an aborted fetch does.
 */
export class UpstreamFailureError extends MeshError {
  readonly outcome: FailureOutcome

  constructor(reason: FailureReason, requestSent: boolean, cause: unknown) {
    super('MESHLET_ERR_UPSTREAM_FAILURE', `upstream request failed: ${reason}`, { cause })
    this.name = 'UpstreamFailureError'
    this.outcome = { kind: 'failure', reason, requestSent, error: cause }
  }
}
