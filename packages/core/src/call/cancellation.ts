/**
 * Why a call or a try was stopped. Timeouts are told apart from the caller's own abort because
 * Envoy treats them differently: a timed-out try counts against the endpoint in outlier detection
 * (LocalOriginTimeout) and may be retried, an abort by the caller does neither.
 */
export type CancelReason = 'timeout' | 'per-try-timeout' | 'cancelled'

type CancelListener = (reason: CancelReason) => void

/**
 * A cheap cancellation token for one call or one try. It is a plain object with a listener list; the
 * AbortSignal that a transport needs is only created when something reads `signal` (in Node 20 that
 * costs microseconds, far more than the rest of a timeout), so layers that only need "was it
 * cancelled, and why" never pay for it. A child follows its parent (a try follows its call) until
 * `release()` detaches it.
 */
export class Cancellation {
  #reason: CancelReason | undefined
  #controller: AbortController | undefined
  #listeners: CancelListener[] | undefined
  /** Tokens following this one (a call's tries); kept apart from listeners so linking allocates no closure. */
  #children: Cancellation[] | undefined
  #parent: Cancellation | undefined
  #detach: (() => void) | undefined

  constructor(parent?: Cancellation) {
    if (parent === undefined) return
    if (parent.#reason !== undefined) {
      this.#reason = parent.#reason
      return
    }
    this.#parent = parent
    ;(parent.#children ??= []).push(this)
  }

  /** A token that is cancelled (reason `cancelled`) when `signal` aborts. Call `release()` when done. */
  static fromSignal(signal: AbortSignal): Cancellation {
    const cancellation = new Cancellation()
    if (signal.aborted) {
      cancellation.#reason = 'cancelled'
      return cancellation
    }
    const onAbort = (): void => {
      cancellation.cancel('cancelled')
    }
    signal.addEventListener('abort', onAbort, { once: true })
    cancellation.#detach = () => signal.removeEventListener('abort', onAbort)
    return cancellation
  }

  get cancelled(): boolean {
    return this.#reason !== undefined
  }

  get reason(): CancelReason | undefined {
    return this.#reason
  }

  /** An AbortSignal that aborts with this token, made on first use. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#reason !== undefined) this.#controller.abort(abortReason(this.#reason))
    }
    return this.#controller.signal
  }

  /** Calls `listener` once when cancelled (at once if already cancelled); returns a function that unsubscribes. */
  onCancel(listener: CancelListener): () => void {
    if (this.#reason !== undefined) {
      listener(this.#reason)
      return noop
    }
    ;(this.#listeners ??= []).push(listener)
    return () => this.offCancel(listener)
  }

  /**
   * Stops calling `listener` (given to onCancel before). The same as calling the function onCancel
   * returned, for callers that keep the listener anyway and would rather not hold a second closure.
   */
  offCancel(listener: CancelListener): void {
    const listeners = this.#listeners
    // Undefined once cancel() took the list to call it: splicing it then would skip a listener.
    if (listeners === undefined) return
    const index = listeners.indexOf(listener)
    if (index !== -1) listeners.splice(index, 1)
  }

  /** Cancels with `reason`; returns false when it was already cancelled (the first reason wins). */
  cancel(reason: CancelReason): boolean {
    if (this.#reason !== undefined) return false
    this.#reason = reason
    this.release()
    this.#controller?.abort(abortReason(reason))
    const listeners = this.#listeners
    this.#listeners = undefined
    if (listeners !== undefined) for (const listener of listeners) listener(reason)
    const children = this.#children
    this.#children = undefined
    if (children !== undefined) for (const child of children) child.cancel(reason)
    return true
  }

  /** Stops following the parent or signal, so a finished call leaves no listener behind. */
  release(): void {
    const parent = this.#parent
    if (parent !== undefined) {
      this.#parent = undefined
      const siblings = parent.#children
      const index = siblings === undefined ? -1 : siblings.lastIndexOf(this)
      if (index !== -1) siblings!.splice(index, 1)
    }
    if (this.#detach !== undefined) {
      this.#detach()
      this.#detach = undefined
    }
  }
}

function noop(): void {}

/** The reason an AbortSignal carries, shaped like the platform's own (AbortSignal.timeout uses TimeoutError). */
function abortReason(reason: CancelReason): DOMException {
  return reason === 'cancelled'
    ? new DOMException('The call was cancelled', 'AbortError')
    : new DOMException(reason === 'timeout' ? 'The route timeout or deadline expired' : 'The per-try timeout expired', 'TimeoutError')
}
