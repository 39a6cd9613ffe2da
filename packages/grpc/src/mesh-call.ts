import { Readable } from 'node:stream'
import { Metadata, status as Status } from '@grpc/grpc-js'
import type { StatusObject } from '@grpc/grpc-js'
import { Cancellation } from '@meshlet/core'
import type { Mesh, MeshRequestResult } from 'meshlet'
import { FrameReader } from './frames.js'
import { grpcStatusForLocalReply } from './status.js'

/** What grpc-js's load-balancing call listens with (its SubchannelCallInterceptingListener). */
export interface CallListener {
  onReceiveMetadata(metadata: Metadata): void
  onReceiveMessage(message: Buffer): void
  onReceiveStatus(status: StatusObject & { rstCode?: number }): void
}

/** A write of grpc-js's (its MessageContext): the callback says the message was taken. */
interface MessageContext {
  callback?: ((error?: Error | null) => void) | undefined
}

/** Response headers that are HTTP/2's, not the call's metadata. */
const NOT_METADATA = new Set(['content-type', 'grpc-status', 'grpc-message', 'grpc-encoding', 'grpc-accept-encoding', 'x-meshlet-reason', 'content-length', 'date'])

/**
 * One gRPC call of a grpc-js channel, carried by the mesh: grpc-js hands it framed messages and
 * metadata as it would hand them to its own HTTP/2 call, and this sends them as one mesh.request
 * (so the whole stack applies: routing, faults, timeouts, retries, pool limits, balancing,
 * outlier detection, the HTTP/2 transport), then hands back the answer's metadata, its messages one
 * per read, and its status: grpc-status of a trailers-only answer, else of the trailers. An answer
 * meshlet made itself (no route, no healthy upstream, overflow, timeout) gets the gRPC status of a
 * local reply (status.ts), as Envoy answers a gRPC request; any other answer that is not gRPC gets
 * gRPC's HTTP mapping. Streaming works both ways: the request body is a stream fed as grpc-js
 * writes, the answer's messages flow as they arrive.
 *
 * grpc-js calls this interface SubchannelCall; it is reached through the fake subchannel the
 * `meshlet` load-balancing policy picks (subchannel.ts).
 */
export class MeshGrpcCall {
  readonly #listener: CallListener
  readonly #callNumber: number
  readonly #mesh: Mesh
  readonly #url: string
  readonly #headers: Record<string, string>
  /** Messages written before the call started; a stream body once it started with the request open. */
  #early: Buffer[] | undefined = []
  #halfClosed = false
  #body: Readable | undefined
  /** Stops the call when grpc-js cancels it; a token, not an AbortController (cheaper per call). */
  readonly #cancellation = new Cancellation()
  readonly #frames = new FrameReader()
  readonly #messages: Buffer[] = []
  #readsWanted = 0
  #status: StatusObject | undefined
  #statusSent = false
  #result: MeshRequestResult | undefined

  constructor(mesh: Mesh, metadata: Metadata, host: string, method: string, listener: CallListener, callNumber: number) {
    this.#listener = listener
    this.#callNumber = callNumber
    const headers: Record<string, string> = { 'content-type': 'application/grpc', te: 'trailers' }
    const fromMetadata = metadata.toHttp2Headers()
    for (const name in fromMetadata) {
      const value = fromMetadata[name]
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value)
    }
    this.#mesh = mesh
    this.#url = `http://${host}${method}`
    this.#headers = headers
    // grpc-js writes a unary call's message and half-closes right after creating the call: started
    // on the next tick, such a call sends its body as bytes, which a retry can send again as they
    // are; a call still open then (client streaming) sends a stream.
    process.nextTick(this.#start)
  }

  sendMessageWithContext(context: MessageContext, message: Buffer): void {
    if (this.#early !== undefined) this.#early.push(message)
    else this.#body?.push(message)
    context.callback?.()
  }

  halfClose(): void {
    this.#halfClosed = true
    if (this.#early === undefined) this.#body?.push(null)
  }

  readonly #start = (): void => {
    if (this.#statusSent) return
    const early = this.#early!
    this.#early = undefined
    let body: Buffer | Readable
    if (this.#halfClosed) body = early.length === 1 ? early[0]! : Buffer.concat(early)
    else {
      const stream = new Readable({ read: noop })
      for (const message of early) stream.push(message)
      this.#body = stream
      body = stream
    }
    this.#mesh.request(this.#url, { method: 'POST', headers: this.#headers, body, cancellation: this.#cancellation, callerProtocol: 'h2' }).then(this.#onResult, this.#onFailure)
  }

  startRead(): void {
    this.#readsWanted++
    this.#deliver()
  }

  cancelWithStatus(code: Status, details: string): void {
    this.#cancellation.cancel('cancelled')
    this.#result?.body.destroy()
    this.#end({ code, details, metadata: new Metadata() })
  }

  getPeer(): string {
    return 'meshlet'
  }

  getCallNumber(): number {
    return this.#callNumber
  }

  getDeadlineInfo(): string[] {
    return []
  }

  getAuthContext(): object {
    return {}
  }

  readonly #onResult = (result: MeshRequestResult): void => {
    if (this.#statusSent) {
      result.body.destroy()
      return
    }
    this.#result = result
    const headers = result.headers
    const contentType = headers['content-type']
    const isGrpc = typeof contentType === 'string' && contentType.startsWith('application/grpc')
    if (!isGrpc) {
      result.body.resume()
      const code = result.localReason !== undefined ? grpcStatusForLocalReply(result.statusCode, result.localReason) : httpToGrpc(result.statusCode)
      this.#end({ code, details: result.localReason ?? `received HTTP status ${result.statusCode} from the upstream`, metadata: new Metadata() })
      return
    }
    this.#listener.onReceiveMetadata(metadataOf(headers))
    if (headers['grpc-status'] !== undefined) {
      // Trailers-only: the status came with the headers.
      result.body.resume()
      this.#end(statusOf(headers))
      return
    }
    const body = result.body
    body.on('data', (chunk: Buffer) => {
      for (const message of this.#frames.push(chunk)) this.#messages.push(message)
      this.#deliver()
    })
    body.once('end', () => {
      const trailers = result.trailers
      this.#status = trailers['grpc-status'] === undefined ? { code: Status.INTERNAL, details: 'the upstream ended the call without a grpc-status', metadata: new Metadata() } : statusOf(trailers)
      this.#deliver()
    })
    body.once('error', (error: Error) => {
      this.#status = { code: Status.UNAVAILABLE, details: `the call was cut: ${error.message}`, metadata: new Metadata() }
      this.#deliver()
    })
  }

  readonly #onFailure = (error: unknown): void => {
    const cancelled = this.#cancellation.cancelled
    this.#end({ code: cancelled ? Status.CANCELLED : Status.UNAVAILABLE, details: error instanceof Error ? error.message : String(error), metadata: new Metadata() })
  }

  /** Hands the caller one message per read it asked for, then the status once every message went. */
  #deliver(): void {
    while (this.#readsWanted > 0 && this.#messages.length > 0) {
      this.#readsWanted--
      this.#listener.onReceiveMessage(this.#messages.shift()!)
    }
    if (this.#messages.length === 0 && this.#status !== undefined) this.#end(this.#status)
  }

  #end(status: StatusObject): void {
    if (this.#statusSent) return
    this.#statusSent = true
    const body = this.#body
    if (body !== undefined && !body.readableEnded) body.push(null)
    this.#listener.onReceiveStatus(status)
  }
}

function metadataOf(headers: Readonly<Record<string, string | readonly string[]>>): Metadata {
  const metadata = new Metadata()
  for (const name in headers) {
    if (NOT_METADATA.has(name)) continue
    const value = headers[name]!
    try {
      if (typeof value === 'string') metadata.add(name, name.endsWith('-bin') ? Buffer.from(value, 'base64') : value)
      else for (const item of value) metadata.add(name, name.endsWith('-bin') ? Buffer.from(item, 'base64') : item)
    } catch {
      // A header grpc-js would refuse as metadata (a reserved name) is not handed on.
    }
  }
  return metadata
}

function statusOf(block: Readonly<Record<string, string | readonly string[]>>): StatusObject {
  const raw = block['grpc-status']
  const code = Number(typeof raw === 'string' ? raw : raw?.[0])
  const message = block['grpc-message']
  const details = typeof message === 'string' ? safeDecode(message) : ''
  return { code: Number.isInteger(code) && code >= 0 && code <= 16 ? code : Status.UNKNOWN, details, metadata: metadataOf(block) }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** gRPC's mapping of an HTTP status from a server that is not gRPC (doc/http-grpc-status-mapping.md). */
function httpToGrpc(status: number): Status {
  switch (status) {
    case 400:
      return Status.INTERNAL
    case 401:
      return Status.UNAUTHENTICATED
    case 403:
      return Status.PERMISSION_DENIED
    case 404:
      return Status.UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE
    default:
      return Status.UNKNOWN
  }
}

function noop(): void {}
