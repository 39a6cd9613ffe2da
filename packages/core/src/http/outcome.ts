import { isMeshError } from '../errors/mesh-error.js'
import type { FailureOutcome, ResponseOutcome } from '../outcome/outcome.js'
import type { MeshResponse } from './response.js'
import type { UpstreamFailureError } from './upstream-error.js'

/** The outcome of a try that produced a response (upstream or local), for the classifier. */
export function responseOutcome(response: MeshResponse): ResponseOutcome {
  return {
    kind: 'response',
    status: response.status,
    headers: response.headers,
    localReason: response.localReason,
  }
}

/** The outcome carried by an UpstreamFailureError, or undefined for any other error (a bug, not an upstream failure). */
export function failureOutcome(error: unknown): FailureOutcome | undefined {
  return isMeshError(error, 'MESHLET_ERR_UPSTREAM_FAILURE') ? (error as UpstreamFailureError).outcome : undefined
}
