import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Answer, EchoBody, PlainAnswer } from './answer.js'
import type { RecordedRequest } from './recorded-request.js'

export interface UpstreamOptions {
  /** Named in echo bodies and in the `x-upstream` response header. Default `upstream`. */
  readonly name?: string
  /** Answers used in order, one per request. */
  readonly answers?: readonly Answer[]
  /** The answer once the script is used up. Default: 200 with the echo body. */
  readonly fallback?: Answer
  /** Keep request bodies as text (`true`, default) or only count their bytes (large uploads). */
  readonly keepBodies?: boolean
  /** Read the request body before answering (default true). */
  readonly readBody?: boolean
  /** Address to listen on. Default 127.0.0.1 (any 127.x.y.z works on Linux: two upstreams can share a port). */
  readonly host?: string
  /** Port to listen on. Default 0 (a free port). */
  readonly port?: number
  /** Listen on this unix domain socket instead of a TCP port (`port` is then 0). */
  readonly socketPath?: string
}

/** A programmable HTTP server on 127.0.0.1 and a free port (by default), for tests that need real sockets. */
export interface Upstream {
  readonly name: string
  readonly port: number
  /** `<host>:<port>`. */
  readonly authority: string
  /** `http://<host>:<port>`. */
  readonly url: string
  /** Every request received so far, in arrival order. */
  readonly requests: readonly RecordedRequest[]
  /** TCP connections accepted so far (to check keep-alive reuse). */
  readonly connectionCount: number
  /** Appends answers to the script. */
  script(...answers: Answer[]): void
  /** Resolves when at least `count` requests have been received. */
  waitForRequests(count: number): Promise<readonly RecordedRequest[]>
  /** Closes every connection, including hung ones, then the server. */
  close(): Promise<void>
}

const DEFAULT_CHUNK_BYTES = 64 * 1024

export async function startUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const name = options.name ?? 'upstream'
  const keepBodies = options.keepBodies ?? true
  const readBody = options.readBody ?? true
  const script: Answer[] = [...(options.answers ?? [])]
  const fallback: Answer = options.fallback ?? { status: 200, echo: true }
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const waiters: Array<{ count: number; resolve: (all: readonly RecordedRequest[]) => void }> = []
  let connectionCount = 0

  const server: Server = createServer((incoming, response) => {
    const answer = script.length > 0 ? script.shift()! : fallback
    void handle(incoming, response, answer).catch(() => incoming.socket.destroy())
  })
  server.on('connection', (socket) => {
    connectionCount += 1
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(incoming: IncomingMessage, response: ServerResponse, answer: Answer): Promise<void> {
    let text = ''
    let bodyBytes = 0
    if (readBody) {
      const chunks: Buffer[] = []
      for await (const chunk of incoming as AsyncIterable<Buffer>) {
        bodyBytes += chunk.length
        if (keepBodies) chunks.push(chunk)
      }
      text = keepBodies ? Buffer.concat(chunks).toString('utf8') : ''
    }
    const recorded: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: text,
      bodyBytes,
      index: requests.length,
    }
    requests.push(recorded)
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve(requests)
    waiters.splice(0, waiters.length, ...waiters.filter((w) => requests.length < w.count))

    if (typeof answer === 'function') return answer(recorded, response, incoming)
    if (typeof answer === 'number') return send(response, recorded, { status: answer, echo: true })
    if ('hang' in answer) return
    if ('reset' in answer) {
      if (answer.reset === 'after-headers') {
        response.writeHead(200, { 'content-length': '1000000' })
        await new Promise<void>((resolve) => response.write('partial', () => resolve()))
      }
      incoming.socket.destroy()
      return
    }
    return send(response, recorded, answer)
  }

  async function send(response: ServerResponse, recorded: RecordedRequest, answer: PlainAnswer): Promise<void> {
    if (answer.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, answer.delayMs))
    if (answer.until !== undefined) await answer.until.catch(() => undefined)
    response.statusCode = answer.status ?? 200
    response.setHeader('x-upstream', name)
    for (const [key, value] of Object.entries(answer.headers ?? {})) response.setHeader(key, value as string | string[])
    if (answer.streamBytes !== undefined) return streamBytes(response, answer.streamBytes, answer.chunkBytes ?? DEFAULT_CHUNK_BYTES)
    const echo: EchoBody = { upstream: name, method: recorded.method, path: recorded.path, headers: recorded.headers, bodyBytes: recorded.bodyBytes }
    const body = answer.body ?? (answer.echo || answer.body === undefined ? JSON.stringify(echo) : '')
    if (answer.body === undefined && !response.hasHeader('content-type')) response.setHeader('content-type', 'application/json')
    response.end(body)
  }

  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const done = () => {
      server.off('error', reject)
      resolve()
    }
    if (options.socketPath !== undefined) server.listen(options.socketPath, done)
    else server.listen(options.port ?? 0, host, done)
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? (address as AddressInfo).port : 0

  return {
    name,
    port,
    authority: `${host}:${port}`,
    url: `http://${host}:${port}`,
    requests,
    get connectionCount() {
      return connectionCount
    },
    script: (...answers) => void script.push(...answers),
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve(requests)
      return new Promise((resolve) => waiters.push({ count, resolve }))
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Writes `total` bytes in chunks, waiting for the socket to drain: memory stays at one chunk. */
async function streamBytes(response: ServerResponse, total: number, chunkBytes: number): Promise<void> {
  response.setHeader('content-length', String(total))
  response.setHeader('content-type', 'application/octet-stream')
  const chunk = Buffer.alloc(Math.min(chunkBytes, total), 0x61)
  let left = total
  while (left > 0) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
    left -= piece.length
    if (!response.write(piece)) await new Promise((resolve) => response.once('drain', resolve))
  }
  response.end()
}

/** Starts one upstream per name (v1, v2, ...), each answering with the echo body by default. */
export async function startUpstreams(names: readonly string[], options: Omit<UpstreamOptions, 'name'> = {}): Promise<Upstream[]> {
  return Promise.all(names.map((name) => startUpstream({ ...options, name })))
}
