import type { LocalReason } from '../http/local-reply.js'
import { localReply } from '../http/local-reply.js'
import { responseOutcome } from '../http/outcome.js'
import type { MeshResponse } from '../http/response.js'
import type { Verdict } from '../outcome/verdict.js'
import type { TryState } from './try-state.js'

const IGNORED = Object.freeze({ kind: 'ignore' as const })

/**
 * The verdict of every answer meshlet makes itself for a try (no healthy upstream, pool overflow,
 * an open circuit): what any route's classifier says of a local reply, a failure when it is a 5xx,
 * never retried and charged to no endpoint. Constant, so the layers that answer locally need no
 * classifier.
 */
export const LOCAL_REPLY_VERDICTS: { readonly failure: Verdict; readonly success: Verdict } = Object.freeze({
  failure: Object.freeze({ result: 'failure', endpoint: IGNORED }),
  success: Object.freeze({ result: 'success', endpoint: IGNORED }),
})

/** Answers a try locally: the reply, with the try's outcome and verdict set as for any local reply. */
export function answerTryLocally(state: TryState, status: number, reason: LocalReason, headers?: Readonly<Record<string, string>>): MeshResponse {
  const reply = localReply(status, reason, headers)
  state.outcome = responseOutcome(reply)
  state.verdict = status >= 500 ? LOCAL_REPLY_VERDICTS.failure : LOCAL_REPLY_VERDICTS.success
  return reply
}
