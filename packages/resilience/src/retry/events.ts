/** Why a try that its policy allowed to retry was not retried. */
export type GiveUpReason =
  /** The route's `attempts` were used up (Envoy upstream_rq_retry_limit_exceeded). */
  | 'attempts-exhausted'
  /** The cluster's retry budget or http.maxRetries had no room (Envoy upstream_rq_retry_overflow). */
  | 'budget-exhausted'
  /** Too little time was left before the deadline for another try to succeed. */
  | 'deadline'
  /** The request body is larger than the replay buffer limit, so it was sent once. */
  | 'body-too-large'
  /** The call was cancelled (the caller aborted or the route timeout fired) during the backoff. */
  | 'cancelled'

export interface RetryEvent {
  readonly cluster: string | undefined
  readonly method: string
  /** Which retry this is: 1 for the first retry. */
  readonly retry: number
  readonly backoffMs: number
  /** What the previous try got: a status (`503`) or a failure reason (`connect-failure`). */
  readonly outcome: string
}

export interface GiveUpEvent {
  readonly cluster: string | undefined
  readonly method: string
  /** Tries made, the first included. */
  readonly tries: number
  readonly reason: GiveUpReason
  readonly outcome: string
}

export type RetryEvents = {
  retry: (event: RetryEvent) => void
  giveUp: (event: GiveUpEvent) => void
}
