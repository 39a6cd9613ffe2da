import { readFileSync } from 'node:fs'
import { undici } from '../../internal/lazy-modules.js'
import type { Agent } from 'undici'
import type { Dispatcher } from 'undici'
import { MeshError } from '@meshlet/core'
import { splitLines } from '../../kubernetes/api/lines.js'
import { fromBase64, toBase64 } from './base64.js'

/** How to reach etcd: the `etcd` option of createMesh, minus what the source itself reads. */
export interface EtcdConnection {
  /** Client URLs, `http://127.0.0.1:2379`; the next one is tried when one cannot be reached. */
  readonly endpoints: readonly string[]
  readonly username?: string
  readonly password?: string
  /** PEM text or a path to a PEM file, for each. */
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string }
}

/** One key and its value, decoded. */
export interface KeyValue {
  readonly key: string
  readonly value: string
  readonly modRevision: number
  readonly lease: string | undefined
}

/** One answer of a watch stream, decoded. */
export interface WatchAnswer {
  readonly revision: number
  readonly events: ReadonlyArray<{ readonly type: 'PUT' | 'DELETE'; readonly kv: KeyValue }>
  /** The watch was cancelled by the server; `compactRevision` > 0 when what was asked for is compacted. */
  readonly canceled: boolean
  readonly compactRevision: number
}

/** gRPC status codes etcd answers with through its gateway (google.rpc.Code). */
const GRPC = { notFound: 5, permissionDenied: 7, unauthenticated: 16 } as const

const REQUEST_TIMEOUT_MS = 5_000

/**
 * A client of etcd's v3 API through its JSON gateway (`/v3/...`, served on the client URL since
 * etcd 3.4), on undici: ranges, puts, leases and watches, bytes as base64 as the gateway wants.
 * With username and password it authenticates once and again when the token expires. Errors are
 * MeshErrors naming the endpoint: MESHLET_ERR_DISCOVERY_UNREACHABLE, or
 * MESHLET_ERR_DISCOVERY_PERMISSION_DENIED for refused credentials or permissions.
 */
export class EtcdGateway {
  private readonly agent: Agent
  private current = 0
  private token: string | undefined

  constructor(private readonly connection: EtcdConnection) {
    if (connection.endpoints.length === 0) throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'etcd: endpoints must name at least one client URL')
    const tls = connection.tls
    this.agent = new (undici().Agent)({ connect: { ca: pemOf(tls?.ca), cert: pemOf(tls?.cert), key: pemOf(tls?.key) }, keepAliveTimeout: 30_000 })
  }

  /** The endpoint in use. */
  get endpoint(): string {
    return this.connection.endpoints[this.current]!.replace(/\/+$/, '')
  }

  /** Keys from `key` up to `rangeEnd` (excluded), at `revision` (0: now), at most `limit` (0: all). */
  async range(key: string, rangeEnd: Uint8Array, options: { revision?: number; limit?: number } = {}): Promise<{ kvs: KeyValue[]; revision: number; more: boolean }> {
    const answer = await this.call('/v3/kv/range', { key: toBase64(key), range_end: toBase64(rangeEnd), revision: String(options.revision ?? 0), limit: String(options.limit ?? 0) }, `read ${key}`)
    return { kvs: ((answer.kvs as RawKeyValue[] | undefined) ?? []).map(decodeKeyValue), revision: revisionOf(answer), more: answer.more === true }
  }

  async put(key: string, value: string, lease?: string): Promise<number> {
    const answer = await this.call('/v3/kv/put', { key: toBase64(key), value: toBase64(value), ...(lease ? { lease } : {}) }, `write ${key}`)
    return revisionOf(answer)
  }

  async deleteKey(key: string): Promise<void> {
    await this.call('/v3/kv/deleterange', { key: toBase64(key) }, `delete ${key}`)
  }

  /** A new lease; its ID is a decimal string (an int64 the gateway writes as text). */
  async grant(ttlSeconds: number): Promise<{ id: string; ttlSeconds: number }> {
    const answer = await this.call('/v3/lease/grant', { TTL: String(ttlSeconds) }, 'grant a lease')
    return { id: String(answer.ID), ttlSeconds: Number(answer.TTL ?? ttlSeconds) }
  }

  /** Refreshes a lease; resolves with the TTL left, 0 when the lease has expired (or never existed). */
  async keepAlive(id: string): Promise<number> {
    const answer = await this.call('/v3/lease/keepalive', { ID: id }, 'keep a lease alive')
    const result = (answer.result ?? answer) as { TTL?: unknown }
    return Number(result.TTL ?? 0)
  }

  async revoke(id: string): Promise<void> {
    try {
      await this.call('/v3/lease/revoke', { ID: id }, 'revoke a lease')
    } catch (error) {
      // An expired lease cannot be revoked: what revoking wanted is done.
      if (!(error instanceof EtcdStatusError && error.grpcCode === GRPC.notFound)) throw error
    }
  }

  /** Liveness: the member's status, within a short timeout. */
  async status(): Promise<void> {
    await this.call('/v3/maintenance/status', {}, 'read its status')
  }

  /**
   * Opens a watch of `[key, rangeEnd)` from `startRevision`: resolves once etcd created it, with the
   * stream of its answers (events, progress notifications, a cancellation), which ends or throws
   * when the connection does and stops when `signal` aborts.
   */
  async openWatch(key: string, rangeEnd: Uint8Array, startRevision: number, signal: AbortSignal): Promise<AsyncGenerator<WatchAnswer>> {
    const body = { create_request: { key: toBase64(key), range_end: toBase64(rangeEnd), start_revision: String(startRevision), progress_notify: true } }
    const answer = await this.send('/v3/watch', body, `watch ${key}`, signal, 0)
    const lines = splitLines(answer.body as AsyncIterable<Buffer>)
    const first = await this.nextAnswer(lines, key)
    if (first === undefined) throw this.unreachable(`watch ${key}`, new Error('the watch stream ended before it was created'))
    return this.answers(first, lines, key, answer)
  }

  close(): Promise<void> {
    return this.agent.close()
  }

  destroy(): Promise<void> {
    return this.agent.destroy()
  }

  private async *answers(first: WatchAnswer, lines: AsyncGenerator<string>, key: string, answer: Dispatcher.ResponseData): AsyncGenerator<WatchAnswer> {
    try {
      yield first
      for (;;) {
        const next = await this.nextAnswer(lines, key)
        if (next === undefined) return
        yield next
      }
    } finally {
      answer.body.destroy()
    }
  }

  private async nextAnswer(lines: AsyncGenerator<string>, key: string): Promise<WatchAnswer | undefined> {
    let line: IteratorResult<string>
    try {
      line = await lines.next()
    } catch (error) {
      throw this.unreachable(`watch ${key}`, error)
    }
    if (line.done) return undefined
    const parsed = JSON.parse(line.value) as { result?: Record<string, unknown>; error?: unknown; code?: unknown; message?: unknown }
    if (parsed.result === undefined) throw this.statusError(`watch ${key}`, 200, parsed as Record<string, unknown>)
    const result = parsed.result
    const events = ((result.events as Array<{ type?: string; kv: RawKeyValue }> | undefined) ?? []).map((event) => ({
      // The gateway leaves out enum defaults: no type is PUT.
      type: event.type === 'DELETE' ? ('DELETE' as const) : ('PUT' as const),
      kv: decodeKeyValue(event.kv),
    }))
    return { revision: revisionOf(result), events, canceled: result.canceled === true, compactRevision: Number(result.compact_revision ?? 0) }
  }

  private async call(path: string, body: unknown, what: string): Promise<Record<string, unknown>> {
    const answer = await this.send(path, body, what, undefined, REQUEST_TIMEOUT_MS)
    return (await answer.body.json()) as Record<string, unknown>
  }

  /** POSTs to the current endpoint, moving to the next one when it cannot be reached; authenticates when asked to. */
  private async send(path: string, body: unknown, what: string, signal: AbortSignal | undefined, timeoutMs: number, retriedAuth = false): Promise<Dispatcher.ResponseData> {
    const endpoints = this.connection.endpoints.length
    let lastError: unknown
    for (let tried = 0; tried < endpoints; tried++) {
      if (this.connection.username !== undefined && this.token === undefined) await this.authenticate(signal)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (this.token !== undefined) headers.authorization = this.token
      let answer: Dispatcher.ResponseData
      try {
        answer = await undici().request(`${this.endpoint}${path}`, { method: 'POST', headers, body: JSON.stringify(body), dispatcher: this.agent, signal, headersTimeout: timeoutMs || REQUEST_TIMEOUT_MS, bodyTimeout: timeoutMs })
      } catch (error) {
        if (signal?.aborted) throw error
        lastError = error
        this.current = (this.current + 1) % endpoints
        continue
      }
      if (answer.statusCode === 200) return answer
      const text = await answer.body.text().catch(() => '')
      let parsed: Record<string, unknown> = {}
      try {
        parsed = JSON.parse(text) as Record<string, unknown>
      } catch {
        parsed = { message: text.slice(0, 200) }
      }
      const failure = this.statusError(what, answer.statusCode, parsed)
      if (failure.grpcCode === GRPC.unauthenticated && this.connection.username !== undefined && !retriedAuth) {
        // The token expired (simple tokens last 5 minutes by default): authenticate again, once.
        this.token = undefined
        return this.send(path, body, what, signal, timeoutMs, true)
      }
      throw failure
    }
    throw this.unreachable(what, lastError)
  }

  private async authenticate(signal: AbortSignal | undefined): Promise<void> {
    const answer = await undici().request(`${this.endpoint}/v3/auth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: this.connection.username, password: this.connection.password ?? '' }),
      dispatcher: this.agent,
      signal,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    }).catch((error: unknown) => {
      throw this.unreachable('authenticate', error)
    })
    const parsed = (await answer.body.json().catch(() => ({}))) as Record<string, unknown>
    if (answer.statusCode !== 200 || typeof parsed.token !== 'string') {
      throw new MeshError(
        'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED',
        `etcd: ${this.endpoint} refused user "${this.connection.username}": ${String(parsed.message ?? parsed.error ?? `status ${answer.statusCode}`)}; check etcd.username and etcd.password`,
      )
    }
    this.token = parsed.token
  }

  private statusError(what: string, httpStatus: number, answer: Record<string, unknown>): EtcdStatusError {
    // Unary errors are {error, message, code}; an error inside a stream is {error: {grpc_code, message, ...}}.
    const parsed = typeof answer.error === 'object' && answer.error !== null ? (answer.error as Record<string, unknown>) : answer
    const codeValue = parsed.code ?? parsed.grpc_code
    const grpcCode = typeof codeValue === 'number' ? codeValue : undefined
    const message = String(parsed.message ?? parsed.error ?? `status ${httpStatus}`)
    if (grpcCode === GRPC.permissionDenied || grpcCode === GRPC.unauthenticated) {
      const who = this.connection.username === undefined ? 'this client (no etcd.username given)' : `user "${this.connection.username}"`
      return new EtcdStatusError(
        'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED',
        `etcd: ${this.endpoint} refused to let ${who} ${what} (${message}). Grant its role readwrite on the prefix: etcdctl role grant-permission <role> --prefix=true readwrite <prefix>`,
        grpcCode,
      )
    }
    return new EtcdStatusError('MESHLET_ERR_DISCOVERY_UNREACHABLE', `etcd: ${this.endpoint} answered ${httpStatus} when asked to ${what}: ${message}`, grpcCode)
  }

  private unreachable(what: string, error: unknown): MeshError {
    const cause = error as NodeJS.ErrnoException | undefined
    const endpoints = this.connection.endpoints.join(', ')
    return new MeshError('MESHLET_ERR_DISCOVERY_UNREACHABLE', `etcd: cannot reach ${endpoints} (${cause?.code ?? cause?.message ?? String(error)}) to ${what}`, { cause: error })
  }
}

/** An answer of etcd that was an error, with its gRPC code. */
export class EtcdStatusError extends MeshError {
  constructor(
    code: 'MESHLET_ERR_DISCOVERY_UNREACHABLE' | 'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED',
    message: string,
    readonly grpcCode: number | undefined,
  ) {
    super(code, message)
    this.name = 'EtcdStatusError'
  }
}

interface RawKeyValue {
  readonly key: string
  readonly value?: string
  readonly mod_revision?: string
  readonly lease?: string
}

function decodeKeyValue(raw: RawKeyValue): KeyValue {
  return { key: fromBase64(raw.key), value: raw.value === undefined ? '' : fromBase64(raw.value), modRevision: Number(raw.mod_revision ?? 0), lease: raw.lease }
}

function revisionOf(answer: Record<string, unknown>): number {
  return Number((answer.header as { revision?: unknown } | undefined)?.revision ?? 0)
}

/** PEM text as it is, or the contents of the file it names. */
function pemOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8')
}
