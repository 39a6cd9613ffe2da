import { connect, constants } from 'node:http2'
import type { ClientHttp2Session, SecureClientSessionOptions } from 'node:http2'
import { connect as netConnect } from 'node:net'
import { readFileSync } from 'node:fs'
import type { H2Settings } from './settings.js'

/** Where a connection goes: `http://10.0.0.1:9080`, `https://...`, or a unix socket path. */
export interface H2Origin {
  readonly authority: string
  readonly socketPath: string | undefined
  readonly tls: boolean
}

/** The owner of a connection: told when it has room again, or when it is gone. */
export interface ConnectionOwner {
  connectionReady(connection: H2Connection): void
  connectionFreed(connection: H2Connection): void
  connectionGone(connection: H2Connection, error: Error | undefined): void
}

/** An error of the connection itself, coded so failure-reason.ts can name it. */
export class H2ConnectError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
    this.name = 'H2ConnectError'
  }
}

/**
 * One HTTP/2 connection (a node:http2 client session) to an endpoint, multiplexing streams:
 * - it counts its open streams against the smaller of maxConcurrentStreams and the server's
 *   SETTINGS_MAX_CONCURRENT_STREAMS;
 * - after a GOAWAY, maxRequestsPerConnection streams or maxConnectionDuration it takes no new
 *   stream (draining) and closes once its streams are done, as Envoy drains a connection;
 * - it closes after idleTimeout without a stream, and answers http2KeepAlive: a PING every
 *   interval, the connection closed when one is not answered within timeout;
 * - it holds the process open only while streams are open.
 */
export class H2Connection {
  readonly session: ClientHttp2Session
  /** Connected (the preface and SETTINGS exchanged on our side). */
  connected = false
  /** Takes no new stream: GOAWAY received, too old, or carried its share of streams. */
  draining = false
  closed = false
  active = 0
  started = 0
  /** Last stream id the server said it would process (GOAWAY), else the highest possible. */
  lastStreamId = Number.MAX_SAFE_INTEGER
  readonly #owner: ConnectionOwner
  readonly #settings: H2Settings
  #idleTimer: NodeJS.Timeout | undefined
  #connectTimer: NodeJS.Timeout | undefined
  #ageTimer: NodeJS.Timeout | undefined
  #pingTimer: NodeJS.Timeout | undefined
  #pingPending = false

  constructor(origin: H2Origin, settings: H2Settings, owner: ConnectionOwner) {
    this.#owner = owner
    this.#settings = settings
    const tls = settings.pool.tls
    const options: SecureClientSessionOptions = {
      settings: { enablePush: false },
      // Envoy's own initial windows (protocol.proto: 256 KiB stream, 1 MiB connection... kept at
      // Node's defaults here); no server push is ever accepted.
      ...(origin.socketPath !== undefined && { createConnection: () => netConnect(origin.socketPath!) }),
      ...(origin.tls && {
        // Istio offers h2 only to an HTTP/2 cluster it originates TLS for (ALPNH2Only).
        ALPNProtocols: ['h2'],
        servername: tls?.servername ?? '',
        rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        ca: tls?.caFile === undefined ? undefined : readFileSync(tls.caFile),
        cert: tls?.certFile === undefined ? undefined : readFileSync(tls.certFile),
        key: tls?.keyFile === undefined ? undefined : readFileSync(tls.keyFile),
      }),
    }
    const session = connect(origin.authority, options)
    this.session = session
    this.#connectTimer = setTimeout(this.#connectTimedOut, settings.pool.connectTimeoutMs)
    this.#connectTimer.unref()
    session.once('connect', this.#onConnect)
    session.on('error', this.#onError)
    session.once('close', this.#onClose)
    session.on('goaway', this.#onGoaway)
    session.on('remoteSettings', this.#onRemoteSettings)
  }

  /** Streams this connection can still open now. */
  get room(): number {
    if (!this.connected || this.draining || this.closed) return 0
    const remote = this.session.remoteSettings.maxConcurrentStreams ?? Number.POSITIVE_INFINITY
    return Math.min(this.#settings.maxConcurrentStreams, remote) - this.active
  }

  /** A stream starts on this connection. */
  streamStarted(): void {
    this.active++
    this.started++
    if (this.active === 1) this.session.ref()
    const limit = this.#settings.maxStreamsPerConnection
    if (limit > 0 && this.started >= limit) this.draining = true
  }

  /** A stream of this connection is over. */
  streamEnded(): void {
    this.active--
    if (this.active > 0) {
      this.#owner.connectionFreed(this)
      return
    }
    if (this.draining) {
      this.close()
      return
    }
    this.session.unref()
    this.#startIdleTimer()
    this.#owner.connectionFreed(this)
  }

  /** Closes once its streams are done (GOAWAY to the server). */
  close(): void {
    if (this.closed) return
    this.draining = true
    if (this.active === 0) this.#stopTimers()
    if (!this.session.closed) this.session.close()
  }

  /** Cuts the connection; streams in flight fail. */
  destroy(error?: Error): void {
    this.#stopTimers()
    this.session.destroy(error)
  }

  readonly #onConnect = (): void => {
    clearTimeout(this.#connectTimer)
    this.#connectTimer = undefined
    this.connected = true
    const age = this.#settings.pool.maxConnectionAgeMs
    if (age !== undefined) {
      this.#ageTimer = setTimeout(this.#retire, age)
      this.#ageTimer.unref()
    }
    const keepAlive = this.#settings.keepAlive
    if (keepAlive !== undefined) {
      this.#pingTimer = setInterval(this.#ping, keepAlive.intervalMs)
      this.#pingTimer.unref()
    }
    if (this.active === 0) {
      this.session.unref()
      this.#startIdleTimer()
    }
    this.#owner.connectionReady(this)
  }

  readonly #onRemoteSettings = (): void => {
    if (this.connected && this.room > 0) this.#owner.connectionFreed(this)
  }

  readonly #onGoaway = (_code: number, lastStreamId: number): void => {
    // Streams above lastStreamId were not processed; node:http2 closes them with REFUSED_STREAM.
    this.lastStreamId = lastStreamId
    this.draining = true
    this.#owner.connectionFreed(this)
  }

  #error: Error | undefined

  readonly #onError = (error: Error): void => {
    this.#error = error
  }

  readonly #onClose = (): void => {
    this.closed = true
    this.draining = true
    this.#stopTimers()
    this.#owner.connectionGone(this, this.connected ? this.#error : (this.#error ?? new H2ConnectError('the HTTP/2 connection closed before it was established', 'ECONNRESET')))
  }

  readonly #connectTimedOut = (): void => {
    this.#connectTimer = undefined
    if (this.connected) return
    this.#error = new H2ConnectError(`HTTP/2 connect timed out after ${this.#settings.pool.connectTimeoutMs} ms`, 'UND_ERR_CONNECT_TIMEOUT')
    this.session.destroy()
  }

  readonly #retire = (): void => {
    this.draining = true
    if (this.active === 0) this.close()
  }

  readonly #ping = (): void => {
    if (this.#pingPending || this.closed) return
    const keepAlive = this.#settings.keepAlive!
    this.#pingPending = true
    const timeout = setTimeout(() => {
      this.#error = new H2ConnectError(`HTTP/2 keep-alive PING not answered within ${keepAlive.timeoutMs} ms`, 'ECONNRESET')
      this.destroy()
    }, keepAlive.timeoutMs)
    timeout.unref()
    const sent = this.session.ping((error) => {
      clearTimeout(timeout)
      this.#pingPending = false
      if (error !== null && !this.closed) this.destroy(error)
    })
    if (!sent) {
      clearTimeout(timeout)
      this.#pingPending = false
    }
  }

  #startIdleTimer(): void {
    if (this.#idleTimer === undefined) {
      this.#idleTimer = setTimeout(this.#idle, this.#settings.pool.idleTimeoutMs)
      this.#idleTimer.unref()
    } else this.#idleTimer.refresh()
  }

  readonly #idle = (): void => {
    if (this.active === 0 && !this.closed) this.close()
  }

  #stopTimers(): void {
    clearTimeout(this.#connectTimer)
    clearTimeout(this.#idleTimer)
    clearTimeout(this.#ageTimer)
    clearInterval(this.#pingTimer)
  }
}

/** The RST_STREAM code of a stream the server refused (it did no work on it). */
export const REFUSED_STREAM = constants.NGHTTP2_REFUSED_STREAM
