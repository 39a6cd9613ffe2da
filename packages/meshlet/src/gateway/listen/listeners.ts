import { createServer as createHttpServer } from 'node:http'
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Server as HttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { createSecureContext } from 'node:tls'
import type { SecureContext } from 'node:tls'
import { MeshError } from '@meshlet/core'
import type { TypedEmitter } from '@meshlet/core'
import type { CompiledGateway, CompiledGatewayPort, CompiledGatewayServer } from '@meshlet/rules'
import { watchFiles } from '../../reload/watcher.js'
import type { FileWatcher } from '../../reload/watcher.js'
import type { GatewayEvents } from '../events.js'
import { DECLARED_PORT } from '../inbound/front.js'
import type { ResolvedGatewayLimits } from '../options.js'
import { readServerTls } from './tls.js'
import type { ServerTlsFiles } from './tls.js'

export interface ListenOptions {
  /** Address to bind. Default `0.0.0.0`, as a gateway serves the outside. */
  readonly host?: string
  /**
   * Where to listen for each Gateway port: `{ 80: 8080, 443: 0 }` (0 = a free port). Ports not
   * named listen on the port the Gateway declares.
   */
  readonly ports?: Readonly<Record<number, number>>
}

/** One port the gateway listens on. */
export interface GatewayListener {
  /** The Gateway server port it serves (the route table used). */
  readonly gatewayPort: number
  /** The port it is bound to. */
  readonly port: number
  readonly address: string
  readonly protocol: 'HTTP' | 'HTTPS'
}

export interface GatewayServer {
  readonly listeners: readonly GatewayListener[]
  /** The bound port for a Gateway port. */
  portOf(gatewayPort: number): number | undefined
  /** Stops accepting connections and closes idle ones; requests in flight finish. */
  close(): Promise<void>
}

/** How long an edited certificate file is left to settle before it is read again. */
const CERTIFICATE_DEBOUNCE_MS = 100

/**
 * Listens on every HTTP and HTTPS port of the gateway (other protocols are skipped: meshlet
 * routes HTTP). An HTTPS port serves each server's certificate by SNI (the server's hosts), the
 * first as the default, and reads the files again when they change.
 */
export async function listenGateway(
  gateway: CompiledGateway,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  limits: ResolvedGatewayLimits,
  events: TypedEmitter<GatewayEvents>,
  options: ListenOptions,
): Promise<GatewayServer> {
  const host = options.host ?? '0.0.0.0'
  const started: Array<{ server: HttpServer | HttpsServer; listener: GatewayListener; watchers: FileWatcher[]; sockets: SocketTracker }> = []
  try {
    for (const port of gateway.ports) {
      const prepared = await prepare(port, handle, limits, events)
      const bindPort = options.ports?.[port.port] ?? port.port
      await new Promise<void>((resolve, reject) => {
        prepared.server.once('error', reject)
        prepared.server.listen(bindPort, host, () => {
          prepared.server.off('error', reject)
          resolve()
        })
      }).catch((error: NodeJS.ErrnoException) => {
        throw new MeshError('MESHLET_ERR_GATEWAY_LISTEN', `gateway ${gateway.name}: cannot listen on ${host}:${bindPort} for Gateway port ${port.port}: ${error.code ?? error.message}`, { cause: error })
      })
      const address = prepared.server.address() as AddressInfo
      started.push({ server: prepared.server, listener: { gatewayPort: port.port, port: address.port, address: address.address, protocol: port.protocol }, watchers: prepared.watchers, sockets: prepared.sockets })
    }
  } catch (error) {
    await Promise.all(started.map((entry) => closeServer(entry.server, entry.watchers, entry.sockets)))
    throw error
  }
  return {
    listeners: started.map((entry) => entry.listener),
    portOf: (gatewayPort) => started.find((entry) => entry.listener.gatewayPort === gatewayPort)?.listener.port,
    close: async () => {
      await Promise.all(started.map((entry) => closeServer(entry.server, entry.watchers, entry.sockets)))
    },
  }
}

async function prepare(port: CompiledGatewayPort, handle: (req: IncomingMessage, res: ServerResponse) => void, limits: ResolvedGatewayLimits, events: TypedEmitter<GatewayEvents>): Promise<{ server: HttpServer | HttpsServer; watchers: FileWatcher[]; sockets: SocketTracker }> {
  const serverOptions = {
    maxHeaderSize: limits.maxRequestHeadersBytes,
    keepAliveTimeout: limits.idleTimeoutMs,
    headersTimeout: limits.requestHeadersTimeoutMs,
    // Node checks the header timeout on this period (30 s by default): a quarter of the timeout keeps it close.
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(limits.requestHeadersTimeoutMs / 4))),
    requestTimeout: 0,
  }
  const watchers: FileWatcher[] = []
  let server: HttpServer | HttpsServer
  if (port.protocol === 'HTTPS') {
    const tlsServers = port.servers.filter((server) => server.tls !== undefined && server.tls.mode !== 'PASSTHROUGH')
    let contexts = await Promise.all(tlsServers.map(async (server) => ({ server, files: await readServerTls(server) })))
    const first = contexts[0]!.files
    let sni = sniContexts(contexts)
    const https = createHttpsServer({ ...serverOptions, ...first.context, requestCert: first.requestCert, rejectUnauthorized: first.rejectUnauthorized, SNICallback: (name, done) => done(null, pick(sni, name)) }, handle)
    server = https
    const files = [...new Set(contexts.flatMap((entry) => entry.files.files))]
    // Certificates are read again when their files change; a bad new file keeps the old ones serving.
    watchers.push(
      await watchFiles(files, CERTIFICATE_DEBOUNCE_MS, () => {
        void Promise.all(tlsServers.map(async (entry) => ({ server: entry, files: await readServerTls(entry) })))
          .then((fresh) => {
            createSecureContext(fresh[0]!.files.context)
            https.setSecureContext(fresh[0]!.files.context)
            contexts = fresh
            sni = sniContexts(contexts)
            if (events.listenerCount('certificateReloaded') > 0) events.emit('certificateReloaded', { port: port.port, files, error: undefined })
          })
          .catch((error: unknown) => {
            if (events.listenerCount('certificateReloaded') > 0) events.emit('certificateReloaded', { port: port.port, files, error })
          })
      }),
    )
  } else {
    server = createHttpServer(serverOptions, handle)
  }
  server.timeout = limits.streamIdleTimeoutMs
  const sockets = new SocketTracker()
  server.on('connection', (socket: Socket) => {
    ;(socket as unknown as Record<symbol, number>)[DECLARED_PORT] = port.port
    sockets.add(socket)
  })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => sockets.busy(req.socket, res))
  server.on('secureConnection', (socket: Socket) => {
    ;(socket as unknown as Record<symbol, number>)[DECLARED_PORT] = port.port
  })
  return { server, watchers, sockets }
}

/** The listener's connections, and which are serving a request: closing drops the others at once. */
class SocketTracker {
  private readonly all = new Set<Socket>()
  private readonly serving = new Set<Socket>()

  add(socket: Socket): void {
    this.all.add(socket)
    socket.once('close', () => {
      this.all.delete(socket)
      this.serving.delete(socket)
    })
  }

  busy(socket: Socket, res: ServerResponse): void {
    this.serving.add(socket)
    res.once('close', () => this.serving.delete(socket))
  }

  /** Ends every connection with no request in progress (idle, or still sending its headers). */
  dropIdle(): void {
    for (const socket of this.all) if (!this.serving.has(socket)) socket.destroy()
  }
}

interface SniEntry {
  readonly hosts: readonly string[]
  readonly context: SecureContext
}

function sniContexts(contexts: ReadonlyArray<{ server: CompiledGatewayServer; files: ServerTlsFiles }>): SniEntry[] {
  return contexts.map(({ server, files }) => ({ hosts: server.hosts.map((host) => (host.includes('/') ? host.slice(host.indexOf('/') + 1) : host).toLowerCase()), context: createSecureContext(files.context) }))
}

/** The context of the first server whose hosts match the SNI name (exact, then wildcard), else the first. */
function pick(entries: readonly SniEntry[], name: string): SecureContext {
  const lower = name.toLowerCase()
  const exact = entries.find((entry) => entry.hosts.includes(lower))
  if (exact) return exact.context
  const wildcard = entries.find((entry) => entry.hosts.some((host) => host === '*' || (host.startsWith('*') && lower.endsWith(host.slice(1)))))
  return (wildcard ?? entries[0]!).context
}

function closeServer(server: HttpServer | HttpsServer, watchers: readonly FileWatcher[], sockets: SocketTracker): Promise<void> {
  for (const watcher of watchers) watcher.close()
  return new Promise((resolve) => {
    server.close(() => resolve())
    sockets.dropIdle()
  })
}
