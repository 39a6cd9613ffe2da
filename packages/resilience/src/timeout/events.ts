/** A timeout that fired. */
export interface TimeoutEvent {
  /** `route`: the route timeout or the caller's deadline (504); `per-try`: one try's perTryTimeout. */
  readonly kind: 'route' | 'per-try'
  /** The time the call or try was given. */
  readonly timeoutMs: number
  /**
   * `headers`: no response had arrived (the caller gets a 504, or the retry layer sees a
   * per-try-timeout); `body`: the response had started, so its body stream is aborted.
   */
  readonly phase: 'headers' | 'body'
}

export type TimeoutEvents = {
  timeout: (event: TimeoutEvent) => void
}
