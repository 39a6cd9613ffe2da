import { H2Connection } from './connection.js'
import type { ConnectionOwner, H2Origin } from './connection.js'
import type { H2Settings } from './settings.js'

/** A stream waiting for a connection with room. */
export interface StreamWaiter {
  /** A connection has room for this stream: start it there (synchronously). */
  granted(connection: H2Connection): void
  /** No connection could be made (connect failure, timeout): the try fails with this error. */
  refused(error: Error): void
}

/**
 * The HTTP/2 connections to one endpoint (Envoy's HTTP/2 connection pool): a stream goes on a
 * connection with room; when every connection is full (maxConcurrentStreams, or the server's
 * limit) or draining, a new one is opened while maxConnections allows, else the stream waits in a
 * FIFO queue of at most http1MaxPendingRequests (Envoy counts pending HTTP/2 streams against it
 * too). A stream that waits is given the first room that frees, so a GOAWAY loses no stream that
 * had not started: it waits for, or opens, another connection.
 */
export class H2EndpointPool implements ConnectionOwner {
  readonly #origin: H2Origin
  readonly #settings: H2Settings
  readonly #connections: H2Connection[] = []
  readonly #queue: Array<StreamWaiter | undefined> = []
  #head = 0
  #pending = 0
  #closed = false

  constructor(origin: H2Origin, settings: H2Settings) {
    this.#origin = origin
    this.#settings = settings
  }

  /** Streams waiting for room. */
  get pending(): number {
    return this.#pending
  }

  get connectionCount(): number {
    return this.#connections.length
  }

  /**
   * Finds room for a stream: `granted` is called now or later, or `refused`; returns false (and
   * calls nothing) when the pending queue is full: the caller answers with an overflow.
   * The returned function takes a waiting stream out of the queue (its try was cancelled).
   */
  acquire(waiter: StreamWaiter): (() => void) | false {
    for (const connection of this.#connections) {
      if (connection.room > 0) {
        waiter.granted(connection)
        return noop
      }
    }
    if (this.#pending >= this.#settings.maxPending) return false
    const position = this.#queue.length
    this.#queue.push(waiter)
    this.#pending++
    this.#openIfNeeded()
    return () => {
      if (this.#queue[position] !== waiter) return
      this.#queue[position] = undefined
      this.#pending--
    }
  }

  /** Drains every connection (GOAWAY); waiting streams are refused. */
  close(): Promise<void> {
    this.#closed = true
    this.#refuseAll(new Error('the mesh is closing'))
    return Promise.all(
      this.#connections.map((connection) =>
        connection.closed
          ? undefined
          : new Promise<void>((resolve) => {
              connection.session.once('close', resolve)
              connection.close()
            }),
      ),
    ).then(noop)
  }

  destroy(): void {
    this.#closed = true
    this.#refuseAll(new Error('the mesh was destroyed'))
    for (const connection of this.#connections) connection.destroy()
  }

  connectionReady(): void {
    this.#drain()
  }

  connectionFreed(connection: H2Connection): void {
    if (connection.draining) this.#openIfNeeded()
    this.#drain()
  }

  connectionGone(connection: H2Connection, error: Error | undefined): void {
    const index = this.#connections.indexOf(connection)
    if (index !== -1) this.#connections.splice(index, 1)
    if (this.#pending === 0) return
    // A connection that never came up fails the streams waiting for it when no other can take
    // them (Envoy fails the pending streams of a failed connection attempt: connect-failure).
    if (!connection.connected && !this.#connections.some((other) => !other.closed && !other.draining)) {
      this.#refuseAll(error ?? new Error('the HTTP/2 connection failed'))
      return
    }
    this.#openIfNeeded()
    this.#drain()
  }

  #drain(): void {
    const queue = this.#queue
    while (this.#pending > 0) {
      const connection = this.#connections.find((candidate) => candidate.room > 0)
      if (connection === undefined) break
      const waiter = queue[this.#head]
      queue[this.#head++] = undefined
      if (waiter === undefined) continue
      this.#pending--
      waiter.granted(connection)
    }
    if (this.#pending === 0 && this.#head > 0) {
      queue.length = 0
      this.#head = 0
    }
  }

  /** Opens a connection when the waiting streams need one and maxConnections allows it. */
  #openIfNeeded(): void {
    if (this.#closed || this.#pending === 0) return
    let live = 0
    let connecting = 0
    for (const connection of this.#connections) {
      if (connection.closed) continue
      if (!connection.draining) live++
      if (!connection.connected) connecting++
    }
    // A connection still connecting is expected to take maxConcurrentStreams streams.
    if (connecting > 0 && this.#pending <= connecting * this.#settings.maxConcurrentStreams) return
    if (live >= this.#settings.maxConnections) return
    this.#connections.push(new H2Connection(this.#origin, this.#settings, this))
  }

  #refuseAll(error: Error): void {
    const waiters = this.#queue.slice(this.#head)
    this.#queue.length = 0
    this.#head = 0
    this.#pending = 0
    for (const waiter of waiters) waiter?.refused(error)
  }
}

function noop(): void {}
