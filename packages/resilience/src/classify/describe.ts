import type { CallOutcome } from '@meshlet/core'

/** A short label for an outcome in events and logs: the status (`503`) or the failure reason (`reset`). */
export function describeOutcome(outcome: CallOutcome): string {
  return outcome.kind === 'response' ? String(outcome.status) : outcome.reason
}
