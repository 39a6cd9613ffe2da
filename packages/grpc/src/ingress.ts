import { constants, createServer } from 'node:http2'
import type { Http2Server, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream'
import type { Mesh, MeshRequestResult } from 'meshlet'
import { grpcStatusForLocalReply } from './status.js'

/** Request headers that belong to the hop from grpc-js to the ingress, not to the call. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'http2-settings'])
/** Response headers the ingress must not copy onto its own HTTP/2 response. */
const RESPONSE_HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'content-length'])

/**
 * The outbound side of an in-process sidecar for gRPC: a cleartext HTTP/2 server on 127.0.0.1
 * that grpc-js channels with a `meshlet:///host:port` target connect to. Each stream it receives
 * is one call through the mesh's stack (mesh.request), exactly as a call from mesh.fetch: routing
 * on the method path (`:path`) and metadata (headers), weighted subsets, faults, timeouts (the
 * client's grpc-timeout, capped by the route timeout), retries with Istio's gRPC and HTTP retryOn
 * tokens, pool limits, balancing, outlier detection, mirroring. The answer's headers, messages
 * and trailers go back on the stream as they come, so server streaming flows message by message.
 * An answer meshlet made itself (no route, no healthy upstream, overflow, timeout) becomes a
 * trailers-only gRPC answer (status.ts), as Envoy's local replies to gRPC requests are.
 */
export class GrpcIngress {
  readonly #mesh: Mesh
  readonly #server: Http2Server
  #port = 0

  constructor(mesh: Mesh) {
    this.#mesh = mesh
    this.#server = createServer()
    this.#server.on('stream', this.#onStream)
    this.#server.on('session', (session) => session.on('error', ignore))
  }

  /** The loopback port grpc-js connects to (0 until listen() resolved). */
  get port(): number {
    return this.#port
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(0, '127.0.0.1', () => {
        this.#server.off('error', reject)
        resolve()
      })
    })
    // The ingress must not keep a process alive on its own: grpc-js channels hold their connections.
    this.#server.unref()
    this.#port = (this.#server.address() as AddressInfo).port
    return this.#port
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  readonly #onStream = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
    stream.on('error', ignore)
    const abort = new AbortController()
    // The caller went away (cancelled, deadline): the call through the mesh stops too.
    stream.once('close', () => {
      if (!stream.writableFinished) abort.abort()
    })
    const authority = String(headers[':authority'] ?? '')
    const path = String(headers[':path'] ?? '/')
    this.#mesh
      .request(`http://${authority}${path}`, { method: String(headers[':method'] ?? 'POST'), headers: callHeaders(headers), body: stream, signal: abort.signal, callerProtocol: 'h2' })
      .then(
        (result) => answer(stream, result),
        (error: unknown) => {
          if (!stream.closed) stream.close(abort.signal.aborted ? constants.NGHTTP2_CANCEL : constants.NGHTTP2_INTERNAL_ERROR)
          void error
        },
      )
  }
}

function callHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) {
    if (name.charCodeAt(0) === 58 /* ':' */ || HOP_HEADERS.has(name)) continue
    const value = headers[name]
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Writes the mesh's answer to the stream: headers, then the messages, then the trailers. */
function answer(stream: ServerHttp2Stream, result: MeshRequestResult): void {
  if (stream.closed) {
    result.body.destroy()
    return
  }
  const contentType = result.headers['content-type']
  const isGrpc = typeof contentType === 'string' && contentType.startsWith('application/grpc')
  if (result.localReason !== undefined && !isGrpc) {
    // A local reply (plain text): as Envoy answers a gRPC request, a trailers-only gRPC answer.
    result.body.destroy()
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(grpcStatusForLocalReply(result.statusCode, result.localReason)), 'grpc-message': encodeURIComponent(result.localReason), 'x-meshlet-reason': result.localReason },
      { endStream: true },
    )
    return
  }
  const responseHeaders: Record<string, string | string[]> = { ':status': String(result.statusCode) }
  for (const name in result.headers) if (!RESPONSE_HOP_HEADERS.has(name)) responseHeaders[name] = result.headers[name] as string | string[]
  const trailersOnly = isGrpc && result.headers['grpc-status'] !== undefined
  if (trailersOnly) {
    result.body.destroy()
    stream.respond(responseHeaders, { endStream: true })
    return
  }
  stream.respond(responseHeaders, { waitForTrailers: true })
  stream.once('wantTrailers', () => {
    // mesh.request fills `trailers` before the body's end reaches the pipe.
    const trailers = result.trailers
    if (stream.closed) return
    stream.sendTrailers(Object.keys(trailers).length > 0 ? trailers : isGrpc ? { 'grpc-status': '2', 'grpc-message': 'upstream sent no trailers' } : {})
  })
  pipeline(result.body, stream, (error) => {
    if (error !== undefined && error !== null && !stream.closed) stream.close(constants.NGHTTP2_INTERNAL_ERROR)
  })
}

function ignore(): void {}
