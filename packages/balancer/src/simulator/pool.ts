import type { SimulatedPoolLimits } from './scenario.js'

/** Istio cannot tell an unset limit from 0: both mean no limit. */
const limit = (value: number | undefined): number => (value !== undefined && value > 0 ? value : Infinity)

interface Waiter {
  readonly start: () => void
  readonly overflow: () => void
  cancelled: boolean
}

/**
 * One cluster's connection pool counters in the simulation, admitting tries as meshlet's pool
 * layer does (and Envoy's HTTP/1 pool): a try starts while a connection is free and the request
 * limit has room, waits in a FIFO of bounded length while every connection is busy, and otherwise
 * overflows at once.
 */
export class SimulatedPool {
  private readonly maxConnections: number
  private readonly maxPending: number
  private readonly maxRequests: number
  private readonly maxRetries: number
  private active = 0
  private retries = 0
  private readonly waiting: Waiter[] = []
  overflows = 0

  constructor(limits: SimulatedPoolLimits | undefined) {
    this.maxConnections = limit(limits?.maxConnections)
    this.maxPending = limit(limits?.http1MaxPendingRequests)
    this.maxRequests = limit(limits?.http2MaxRequests)
    this.maxRetries = limit(limits?.maxRetries)
  }

  /** Runs `start` now or once a connection frees, or `overflow` when there is no room; returns a cancel. */
  acquire(start: () => void, overflow: () => void): () => void {
    if (this.active < this.maxConnections) {
      this.attach({ start, overflow, cancelled: false })
      return () => {}
    }
    if (this.pendingCount() >= this.maxPending) {
      this.overflows++
      overflow()
      return () => {}
    }
    const waiter: Waiter = { start, overflow, cancelled: false }
    this.waiting.push(waiter)
    return () => (waiter.cancelled = true)
  }

  release(): void {
    this.active--
    while (this.waiting.length > 0 && this.active < this.maxConnections) {
      const waiter = this.waiting.shift()!
      if (!waiter.cancelled) this.attach(waiter)
    }
  }

  /** A retry may start only while retries in flight are under maxRetries. */
  tryRetry(): boolean {
    if (this.retries >= this.maxRetries) return false
    this.retries++
    return true
  }

  retryEnded(): void {
    this.retries--
  }

  private attach(waiter: Waiter): void {
    // The request limit is checked when the request gets its connection, so a waiting one can still overflow.
    if (this.active >= this.maxRequests) {
      this.overflows++
      waiter.overflow()
      return
    }
    this.active++
    waiter.start()
  }

  private pendingCount(): number {
    let count = 0
    for (const waiter of this.waiting) if (!waiter.cancelled) count++
    return count
  }
}
