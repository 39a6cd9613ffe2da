import { afterEach } from 'vitest'
import { request as httpRequest, Agent } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'
import { createGateway } from 'meshlet'
import type { CreateGatewayOptions, Gateway, GatewayServer } from 'meshlet'
import { startUpstream } from '@meshlet/testing'
import type { Upstream, UpstreamOptions } from '@meshlet/testing'

const gateways: Gateway[] = []
const upstreams: Upstream[] = []

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()))
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()))
})

export async function gateway(options: CreateGatewayOptions): Promise<Gateway> {
  const created = await createGateway(options)
  gateways.push(created)
  return created
}

/** A gateway listening on loopback, every declared port mapped to a free one. */
export async function listening(options: CreateGatewayOptions): Promise<{ gateway: Gateway; server: GatewayServer; port: (declared: number) => number }> {
  const created = await gateway(options)
  const ports = Object.fromEntries(created.config.ports.map((port) => [port.port, 0]))
  const server = await created.listen({ host: '127.0.0.1', ports })
  return { gateway: created, server, port: (declared) => server.portOf(declared)! }
}

export async function upstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const started = await startUpstream(options)
  upstreams.push(started)
  return started
}

export async function pods(name: string, count: number): Promise<Upstream[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => upstream({ name: `${name}-${i}` })))
}

export interface Sent {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly text: string
  json<T = EchoJson>(): T
}

export interface EchoJson {
  readonly upstream: string
  readonly method: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly bodyBytes: number
  readonly body?: string
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 })

/** Sends one request to 127.0.0.1:port with the Host given (what a client of the gateway does). */
export function send(port: number, options: { host: string; path?: string; method?: string; headers?: Record<string, string>; body?: string; tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string } }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const common = { host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: { host: options.host, ...options.headers } }
    const req = options.tls
      ? httpsRequest({ ...common, ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key, servername: options.tls.servername ?? options.host.split(':')[0], agent: false })
      : httpRequest({ ...common, agent })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as never })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}
