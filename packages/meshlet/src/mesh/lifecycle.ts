import type { Cancellation } from '@meshlet/core'

/**
 * What a mesh must stop when it closes, and what it must wait for: calls in flight (bodies
 * included), mirrored copies (stopped, not waited for), file watchers and timers (stopped), then
 * the connection pools.
 */
export class Lifecycle {
  /** Shadow requests in flight, each by its cancellation (the mirror layer adds and removes them). */
  readonly shadows = new Set<Cancellation>()
  #inFlight = 0
  #drainWaiters: Array<() => void> = []
  #closing: Promise<void> | undefined
  readonly #cleanups: Array<() => void | Promise<void>> = []
  readonly #afterClose: Array<() => Promise<void> | void> = []
  #closed = false

  constructor(private readonly pools: { close(): Promise<void> }) {}

  get closed(): boolean {
    return this.#closing !== undefined
  }

  /** A call started (paired with callEnded). */
  callStarted(): void {
    this.#inFlight += 1
  }

  callEnded(): void {
    this.#inFlight -= 1
    if (this.#inFlight === 0 && this.#drainWaiters.length > 0) for (const resolve of this.#drainWaiters.splice(0)) resolve()
  }

  /** Registers something to stop when the mesh closes (a file watcher, sweeps, a live source); at once if it is closed. close() waits for it. */
  onClose(cleanup: () => void | Promise<void>): void {
    if (this.#closing !== undefined) void cleanup()
    else this.#cleanups.push(cleanup)
  }

  /** Registers something to stop once the mesh has closed (the admin server, which reports the drain). */
  afterClose(cleanup: () => Promise<void> | void): void {
    this.#afterClose.push(cleanup)
    if (this.#closed) void this.#runAfterClose()
  }

  /** Stops watchers, live sources and mirrors, waits for calls in flight, closes the pools, then what runs after. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all(this.#cleanups.splice(0).map((cleanup) => cleanup()))
      for (const shadow of this.shadows) shadow.cancel('cancelled')
      if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#drainWaiters.push(resolve))
      await this.pools.close()
      this.#closed = true
      await this.#runAfterClose()
    })()
    return this.#closing
  }

  async #runAfterClose(): Promise<void> {
    await Promise.all(this.#afterClose.splice(0).map(async (cleanup) => cleanup()))
  }
}
