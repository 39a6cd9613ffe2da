import type { Cancellation, Clock } from '@meshlet/core'
import { retryBudgetLimit } from '../retry/budget.js'
import type { RetryBudgetConfig } from '../retry/budget.js'
import { effectiveLimit } from './policy.js'
import type { PoolLimitsConfig } from './policy.js'

/** Why a request was refused without being sent. */
export type OverflowLimit = 'pending' | 'requests'

/** The fate of a request that asked for a slot while the cluster was busy. */
export type QueuedAdmission = 'started' | 'cancelled' | { readonly overflow: OverflowLimit }

/** The answer to acquireRequest: started now, refused now, or queued until a slot frees. */
export type Admission = 'started' | { readonly overflow: OverflowLimit } | Promise<QueuedAdmission>

interface Waiter {
  resolve(admission: QueuedAdmission): void
  unsubscribe: (() => void) | undefined
}

const OVERFLOW_PENDING = Object.freeze({ overflow: 'pending' as const })
const OVERFLOW_REQUESTS = Object.freeze({ overflow: 'requests' as const })

/**
 * One destination cluster's counters, as Envoy's ResourceManager keeps them: requests in flight,
 * requests waiting for a connection, retries in flight. The pool layer admits requests with it and
 * the retry layer asks it before each retry, so both limits and the retry budget see the same
 * numbers.
 *
 * Admission follows Envoy's HTTP/1 connection pool: a request starts when a connection slot is free
 * (requests in flight below tcp.maxConnections) and the http2MaxRequests threshold has room
 * (checked when the request is attached, so a queued request can still overflow); otherwise it
 * waits in a FIFO queue of at most http1MaxPendingRequests; otherwise it overflows at once. A
 * request waiting for a brand-new connection is not counted as pending here (undici opens it).
 */
export class ClusterResources {
  readonly key: string
  readonly #clock: Clock
  #limits: PoolLimitsConfig
  #budget: RetryBudgetConfig | undefined
  #maxConnections: number
  #maxPending: number
  #maxRequests: number
  #maxRetries: number
  #active = 0
  #retries = 0
  readonly #queue: Array<Waiter | undefined> = []
  #queueHead = 0
  #pending = 0
  // Requests started in the current and the previous budget window (retryBudget.budgetInterval).
  #windowStartMs: number
  #windowCount = 0
  #previousWindowCount = 0

  #multiplexed: boolean

  constructor(key: string, limits: PoolLimitsConfig, budget: RetryBudgetConfig | undefined, clock: Clock, multiplexed = false) {
    this.key = key
    this.#clock = clock
    this.#limits = limits
    this.#budget = budget
    this.#multiplexed = multiplexed
    this.#maxConnections = multiplexed ? Number.POSITIVE_INFINITY : effectiveLimit(limits.maxConnections)
    this.#maxPending = effectiveLimit(limits.http1MaxPendingRequests)
    this.#maxRequests = effectiveLimit(limits.http2MaxRequests)
    this.#maxRetries = effectiveLimit(limits.maxRetries)
    this.#windowStartMs = clock.now()
  }

  get limits(): PoolLimitsConfig {
    return this.#limits
  }

  /** HTTP/2: connections do not bound requests here (see ClusterLimits.multiplexed). */
  get multiplexed(): boolean {
    return this.#multiplexed
  }

  get retryBudget(): RetryBudgetConfig | undefined {
    return this.#budget
  }

  /** Requests in flight. */
  get activeRequests(): number {
    return this.#active
  }

  /** Requests waiting for a slot. */
  get pendingRequests(): number {
    return this.#pending
  }

  /** Retries in flight (from the retry decision until the retried try ends). */
  get activeRetries(): number {
    return this.#retries
  }

  /** Applies new limits (a reload); counters carry over and waiting requests get any new room. */
  configure(limits: PoolLimitsConfig, budget: RetryBudgetConfig | undefined, multiplexed = this.#multiplexed): void {
    this.#limits = limits
    this.#budget = budget
    this.#multiplexed = multiplexed
    this.#maxConnections = multiplexed ? Number.POSITIVE_INFINITY : effectiveLimit(limits.maxConnections)
    this.#maxPending = effectiveLimit(limits.http1MaxPendingRequests)
    this.#maxRequests = effectiveLimit(limits.http2MaxRequests)
    this.#maxRetries = effectiveLimit(limits.maxRetries)
    this.#drain()
  }

  /**
   * Asks for a request slot. Every 'started' (now or later) must be paired with releaseRequest().
   * A queued request leaves the queue when `cancellation` fires.
   */
  acquireRequest(cancellation?: Cancellation): Admission {
    if (this.#active < this.#maxConnections && this.#pending === 0) {
      if (this.#active >= this.#maxRequests) return OVERFLOW_REQUESTS
      this.#start()
      return 'started'
    }
    if (this.#pending >= this.#maxPending) return OVERFLOW_PENDING
    if (cancellation?.cancelled) return Promise.resolve('cancelled')
    return new Promise<QueuedAdmission>((resolve) => {
      const waiter: Waiter = { resolve, unsubscribe: undefined }
      const position = this.#queue.length
      this.#queue.push(waiter)
      this.#pending++
      if (cancellation !== undefined) {
        waiter.unsubscribe = cancellation.onCancel(() => {
          if (this.#queue[position] !== waiter) return
          this.#queue[position] = undefined
          this.#pending--
          resolve('cancelled')
        })
      }
    })
  }

  /** Frees a slot taken by acquireRequest and hands it to the oldest waiting request. */
  releaseRequest(): void {
    this.#active--
    this.#drain()
  }

  /** Retries allowed in flight now: the retry budget when the DestinationRule has one, else http.maxRetries. */
  retryLimit(): number {
    const budget = this.#budget
    // envoy circuit_breaker.proto: "If this field is set, the retry budget will override any
    // configured retry circuit breaker."
    if (budget === undefined) return this.#maxRetries
    return retryBudgetLimit(budget, this.#requestsForBudget(budget))
  }

  /** Takes a retry slot if the limit allows (Envoy's retries().canCreate()); pair with endRetry(). */
  tryStartRetry(): boolean {
    if (this.#retries >= this.retryLimit()) return false
    this.#retries++
    return true
  }

  endRetry(): void {
    this.#retries--
  }

  #start(): void {
    this.#active++
    if (this.#budget?.budgetIntervalMs !== undefined) this.#countForWindow()
  }

  #drain(): void {
    const queue = this.#queue
    while (this.#pending > 0 && this.#active < this.#maxConnections) {
      const waiter = queue[this.#queueHead]
      queue[this.#queueHead++] = undefined
      if (waiter === undefined) continue
      this.#pending--
      waiter.unsubscribe?.()
      if (this.#active >= this.#maxRequests) {
        waiter.resolve(OVERFLOW_REQUESTS)
        continue
      }
      this.#start()
      waiter.resolve('started')
    }
    if (this.#pending === 0 && this.#queueHead > 0) {
      queue.length = 0
      this.#queueHead = 0
    }
  }

  #requestsForBudget(budget: RetryBudgetConfig): number {
    const intervalMs = budget.budgetIntervalMs
    if (intervalMs === undefined || intervalMs <= 0) return this.#active + this.#pending
    this.#rollWindow(intervalMs)
    // A sliding estimate over two fixed windows: the previous one weighted by how much of it still
    // falls inside the last `intervalMs`.
    const elapsedShare = (this.#clock.now() - this.#windowStartMs) / intervalMs
    return this.#windowCount + this.#previousWindowCount * Math.max(0, 1 - elapsedShare)
  }

  #countForWindow(): void {
    this.#rollWindow(this.#budget!.budgetIntervalMs!)
    this.#windowCount++
  }

  #rollWindow(intervalMs: number): void {
    const elapsed = this.#clock.now() - this.#windowStartMs
    if (elapsed < intervalMs) return
    this.#previousWindowCount = elapsed < 2 * intervalMs ? this.#windowCount : 0
    this.#windowCount = 0
    this.#windowStartMs += Math.floor(elapsed / intervalMs) * intervalMs
  }
}
