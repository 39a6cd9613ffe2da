import { PassThrough, Writable } from 'node:stream'
import type { Readable } from 'node:stream'
import type { OutgoingHttpHeaders } from 'node:http'
import { toIncomingResponse } from './incoming-response.js'

/** What mesh.request answers (meshlet's MeshRequestResult, the part used here). */
export interface MeshRequestAnswer {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | readonly string[]>>
  readonly body: Readable
}

/** mesh.request's signature (shaped like undici.request). */
export type MeshRequestFunction = (
  url: string | URL,
  options: { method: string; headers: Record<string, string>; body: Buffer | PassThrough | null; signal: AbortSignal },
) => Promise<MeshRequestAnswer>

/** The request options got hands its request function (the part of http.RequestOptions used here). */
export interface NativeRequestOptions {
  readonly method?: string
  readonly headers?: OutgoingHttpHeaders | Readonly<Record<string, string | string[] | number | undefined>>
}

/**
 * Stands in for http.ClientRequest under got: got writes the request body to it and waits for
 * 'response' or 'error'; the request itself goes through the mesh, which routes it,
 * retries it and balances it, through `mesh.request` (no fetch Response or web stream in between:
 * the body got reads is the transport's Node stream). mesh.request follows no redirects, so got's
 * `followRedirect`, `maxRedirects` and `beforeRedirect` hooks work as usual.
 *
 * The body: chunks written before the body ends are kept, and a body that ends on the same turn
 * of the event loop (a string, a buffer, JSON or a form: got writes them in one go) is sent as
 * bytes, which the mesh's retry layer can send again. A body still flowing on the next turn (a
 * piped stream) is streamed: the call starts then with the chunks so far, and further writes wait
 * for the mesh to read them (backpressure).
 *
 * Not a socket: there are no 'socket', 'lookup' or 'connect' events (got's connection-phase
 * timeouts and timings stay unset; the mesh has its own connect timeout), and `setTimeout(ms)`
 * is counted until the response headers arrive rather than as socket inactivity.
 */
export class MeshClientRequest extends Writable {
  readonly method: string
  readonly #url: URL
  readonly #headers: Record<string, string>
  readonly #request: MeshRequestFunction
  readonly #abort = new AbortController()
  #chunks: Buffer[] = []
  #stream: PassThrough | undefined
  #startOnNextTurn: NodeJS.Immediate | undefined
  #started = false
  #responded = false
  #responseEnded = false
  #idleTimer: NodeJS.Timeout | undefined

  constructor(request: MeshRequestFunction, url: URL, options: NativeRequestOptions) {
    // A ClientRequest lives on after its body is sent (until the response is read), so finishing
    // the writable side must not destroy it, which would abort the call.
    super({ autoDestroy: false })
    this.#request = request
    this.#url = url
    this.method = (options.method ?? 'GET').toUpperCase()
    this.#headers = plainHeaders(options.headers)
  }

  /** The path and query sent, as on http.ClientRequest. */
  get path(): string {
    return `${this.#url.pathname}${this.#url.search}`
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const stream = this.#stream
    if (stream !== undefined) {
      if (stream.write(chunk)) callback()
      else stream.once('drain', () => callback())
      return
    }
    this.#chunks.push(chunk)
    this.#startOnNextTurn ??= setImmediate(() => this.#startStreaming())
    callback()
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#stream !== undefined) {
      this.#stream.end()
    } else {
      if (this.#startOnNextTurn !== undefined) clearImmediate(this.#startOnNextTurn)
      this.#start(this.#chunks.length === 0 ? null : Buffer.concat(this.#chunks))
      this.#chunks = []
    }
    callback()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#startOnNextTurn !== undefined) clearImmediate(this.#startOnNextTurn)
    this.#clearIdleTimer()
    // got destroys the request once the response has been read; only an unfinished call is aborted.
    if (!this.#responseEnded) this.#abort.abort(error ?? new DOMException('The request was destroyed', 'AbortError'))
    this.#stream?.destroy()
    callback(error)
  }

  /** Emits 'timeout' (and calls `callback`) if no response headers arrive within `timeoutMs`; 0 clears it. */
  setTimeout(timeoutMs: number, callback?: () => void): this {
    if (callback !== undefined) this.once('timeout', callback)
    this.#clearIdleTimer()
    if (timeoutMs > 0 && !this.#responded) {
      this.#idleTimer = setTimeout(() => this.emit('timeout'), timeoutMs)
      this.#idleTimer.unref()
    }
    return this
  }

  /** http.ClientRequest's deprecated abort(). */
  abort(): void {
    if (this.destroyed) return
    this.emit('abort')
    this.destroy()
  }

  #startStreaming(): void {
    this.#startOnNextTurn = undefined
    if (this.#started || this.destroyed) return
    const stream = new PassThrough()
    for (const chunk of this.#chunks) stream.write(chunk)
    this.#chunks = []
    this.#stream = stream
    this.#start(stream)
  }

  #start(body: Buffer | PassThrough | null): void {
    this.#started = true
    this.#request(this.#url, { method: this.method, headers: this.#headers, body, signal: this.#abort.signal }).then(
      (answer) => {
        if (this.destroyed) {
          answer.body.destroy()
          return
        }
        this.#responded = true
        this.#clearIdleTimer()
        const incoming = toIncomingResponse(answer)
        incoming.once('end', () => (this.#responseEnded = true))
        this.emit('response', incoming)
      },
      (error: unknown) => {
        if (!this.destroyed) this.destroy(error instanceof Error ? error : new Error(String(error)))
      },
    )
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer)
    this.#idleTimer = undefined
  }
}

/** got's header map as the mesh takes it: strings only, lists joined with ", ", unset ones left out. */
function plainHeaders(headers: NativeRequestOptions['headers']): Record<string, string> {
  const plain: Record<string, string> = {}
  if (headers === undefined) return plain
  for (const name in headers) {
    const value = (headers as Record<string, string | string[] | number | undefined>)[name]
    if (value === undefined) continue
    plain[name] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return plain
}
