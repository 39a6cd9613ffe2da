import type { CallContext, FailureReason, MeshResponse } from '@meshlet/core'
import { NO_RESPONSE_FLAGS, responseFlagOfReason, withResponseFlag } from '../metrics/response-flags.js'
import type { ResponseFlagSet } from '../metrics/response-flags.js'

/**
 * The Envoy response flags of a finished call, in the order they were raised (Envoy ≥ 1.30): a fault
 * delay (DI) first; then what ended the call, read from the reason meshlet answered it with (NR, NC,
 * UH, UO, FI, UT, and UF/UC/UR for a last try that failed without a response) or from the failure
 * it ended with (DC for the caller's own abort); then URX when the retry layer stopped retrying a
 * failure its policy would have retried because the attempts or the retry budget were used up.
 */
export function callResponseFlags(call: CallContext, response: MeshResponse | undefined, failure: FailureReason | undefined): ResponseFlagSet {
  let flags = NO_RESPONSE_FLAGS
  let retryLimit = false
  const notes = call.notes
  if (notes !== undefined) {
    for (const note of notes) {
      if (note.kind === 'fault-delay') flags = withResponseFlag(flags, 'DI')
      else if (note.kind === 'retries-ended' && (note.reason === 'attempts-exhausted' || note.reason === 'budget-exhausted')) retryLimit = true
    }
  }
  const ending = responseFlagOfReason(response !== undefined ? response.localReason : failure)
  if (ending !== undefined) flags = withResponseFlag(flags, ending)
  if (retryLimit) flags = withResponseFlag(flags, 'URX')
  return flags
}
