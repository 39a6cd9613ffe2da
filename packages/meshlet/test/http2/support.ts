import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createSecureServer, createServer } from 'node:http2'
import type { Http2SecureServer, Http2Server, Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'

export type StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, session: Http2Session) => void

/** A real node:http2 server on 127.0.0.1 (h2c with prior knowledge, or h2 over TLS), counting what it sees. */
export interface H2Upstream {
  readonly port: number
  /** Sessions (connections) opened so far. */
  readonly sessions: Http2Session[]
  /** Streams received so far. */
  streams: number
  /** The most streams open at once on one session. */
  maxConcurrentOnOneSession: number
  /** The ALPN protocol of each TLS session ('h2'), for TLS servers. */
  readonly alpn: string[]
  close(): Promise<void>
}

export async function startH2(handler: StreamHandler, tls?: { key: Buffer; cert: Buffer }): Promise<H2Upstream> {
  const server: Http2Server | Http2SecureServer = tls === undefined ? createServer() : createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: false })
  const open = new Map<Http2Session, number>()
  const state = {
    port: 0,
    sessions: [] as Http2Session[],
    streams: 0,
    maxConcurrentOnOneSession: 0,
    alpn: [] as string[],
    close: async () => {
      for (const session of state.sessions) if (!session.destroyed) session.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  server.on('session', (session: Http2Session) => {
    session.on('error', () => undefined)
    state.sessions.push(session)
    const socket = session.socket as { alpnProtocol?: string | false }
    if (tls !== undefined) state.alpn.push(String(socket.alpnProtocol))
    open.set(session, 0)
  })
  server.on('stream', (stream, headers) => {
    const session = stream.session!
    state.streams++
    const now = (open.get(session) ?? 0) + 1
    open.set(session, now)
    state.maxConcurrentOnOneSession = Math.max(state.maxConcurrentOnOneSession, now)
    stream.once('close', () => open.set(session, (open.get(session) ?? 1) - 1))
    // A stream the client cancels or a GOAWAY refuses errors here; the test server only counts it.
    stream.on('error', () => undefined)
    handler(stream, headers, session)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.port = (server.address() as AddressInfo).port
  return state
}

/** Answers 200 with a body and gRPC-style trailers, after reading the request. */
export function answerWithTrailers(body = 'hello', trailers: Record<string, string> = { 'grpc-status': '0', 'x-checksum': 'abc' }): StreamHandler {
  return (stream, headers) => {
    stream.resume()
    stream.once('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'text/plain', 'x-authority': String(headers[':authority']), 'x-timeout': String(headers['x-envoy-expected-rq-timeout-ms'] ?? '') }, { waitForTrailers: true })
      stream.once('wantTrailers', () => stream.sendTrailers(trailers))
      stream.end(body)
    })
  }
}

/** A CA and a server certificate it signed for `names` (DNS) and 127.0.0.1, made with openssl in a temp dir. */
export function generateCa(names: readonly string[]): { readonly dir: string; readonly caFile: string; readonly key: Buffer; readonly cert: Buffer; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'meshlet-h2-ca-'))
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=meshlet test CA')
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${names[0]}`)
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${[...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',')}\n`)
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext')
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'server.key')),
    cert: readFileSync(join(dir, 'server.pem')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A ServiceEntry for `host` with one port of `protocol` and STATIC endpoints on loopback ports. */
export function serviceEntry(host: string, port: number, protocol: string, endpointPorts: readonly number[], name = 'svc'): string {
  return `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: default }
spec:
  hosts: [${host}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: ${port}, name: ${protocol === '' ? 'web' : protocol.toLowerCase()}-port${protocol === '' ? '' : `, protocol: ${protocol}`} }]
  endpoints:
${endpointPorts.map((p) => `  - { address: 127.0.0.1, ports: { ${protocol === '' ? 'web' : protocol.toLowerCase()}-port: ${p} } }`).join('\n')}
`
}
