import type { IncomingMessage, ServerResponse } from 'node:http'
import { MeshError } from '@meshlet/core'
import type { TypedEmitter } from '@meshlet/core'
import type { CompiledGateway, MeshSnapshot, RouteDecision } from '@meshlet/rules'
import { explain } from '@meshlet/rules'
import type { AdminServer } from '../admin/server.js'
import { gatewayView } from '../admin/render/gateway-view.js'
import type { GatewayView } from '../admin/render/gateway-view.js'
import type { ExplainInput, Mesh, MeshAdminOptions } from '../mesh/mesh.js'
import type { MeshEvents } from '../mesh/events.js'
import { expressMiddleware } from './adapters/express.js'
import type { ExpressMiddleware } from './adapters/express.js'
import { fastifyPlugin } from './adapters/fastify.js'
import type { GatewayEvents } from './events.js'
import type { InboundFront } from './inbound/front.js'
import { listenGateway } from './listen/listeners.js'
import type { GatewayServer, ListenOptions } from './listen/listeners.js'
import type { ResolvedGatewayLimits } from './options.js'
import type { GatewayStats } from './stats.js'

export interface GatewayParts {
  readonly mesh: Mesh
  readonly front: InboundFront
  readonly events: TypedEmitter<GatewayEvents>
  readonly stats: GatewayStats
  readonly limits: ResolvedGatewayLimits
}

type AllEvents = MeshEvents & GatewayEvents

/**
 * An ingress gateway in this process: the mesh's rules, sources and outbound stack, with an
 * inbound front routing each request by the VirtualServices bound to the Gateway (or the
 * HTTPRoutes attached to it). Serve it with `handler` on a node:http server, as Express
 * middleware, as a Fastify plugin, or on its own listeners (`listen()`).
 */
export class Gateway {
  /** The node:http request handler: `http.createServer(gateway.handler)`. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void
  /** The mesh the gateway is built on (its events, reloads, admin server, and outbound calls). */
  readonly mesh: Mesh
  readonly #parts: GatewayParts
  readonly #servers = new Set<GatewayServer>()

  constructor(parts: GatewayParts) {
    this.#parts = parts
    this.mesh = parts.mesh
    this.handler = parts.front.handle
    // Listeners stop taking connections when the mesh starts to close; the mesh then drains.
    parts.mesh.onClose(() => {
      for (const server of this.#servers) void server.close()
    })
  }

  /** The compiled Gateway now in force: its ports, servers, hosts and route status. */
  get config(): CompiledGateway {
    return this.mesh.snapshot.gateway!
  }

  get snapshot(): MeshSnapshot {
    return this.mesh.snapshot
  }

  /** Counters of the inbound side (requests by status class, DC, 431, 413, 404). */
  get stats(): Readonly<Record<string, number>> {
    return this.#parts.stats.toJSON()
  }

  /** Express middleware (`app.use(gateway.express())`). */
  express(): ExpressMiddleware {
    return expressMiddleware(this.handler)
  }

  /** A Fastify plugin (`app.register(gateway.fastify())`). */
  fastify(): ReturnType<typeof fastifyPlugin> {
    return fastifyPlugin(this.handler)
  }

  /**
   * Listens on every HTTP and HTTPS port the Gateway's servers (or listeners) declare, TLS
   * terminated with their certificate files; `ports` maps a declared port to another (0 = free).
   */
  async listen(options: ListenOptions = {}): Promise<GatewayServer> {
    if (this.mesh.closed) throw new MeshError('MESHLET_ERR_MESH_CLOSED', 'gateway.listen called after gateway.close()')
    const server = await listenGateway(this.config, this.handler, this.#parts.limits, this.#parts.events, options)
    this.#servers.add(server)
    return {
      ...server,
      close: async () => {
        this.#servers.delete(server)
        await server.close()
      },
    }
  }

  /** What the gateway would do with a request arriving on `port` (default: the URL's port). */
  explain(request: ExplainInput, options: { readonly port?: number } = {}): RouteDecision {
    return explain(this.mesh.snapshot, request, { random: this.mesh.random, ...(options.port === undefined ? {} : { gatewayPort: options.port }) })
  }

  reload(): Promise<boolean> {
    return this.mesh.reload()
  }

  /** An admin server like Envoy's, with the gateway's listeners, routes and route status at /gateway. */
  listenAdmin(options: MeshAdminOptions = {}): Promise<AdminServer> {
    return this.mesh.listenAdmin({ ...options, gateway: () => this.view() })
  }

  /** What the admin server shows at /gateway: ports, servers, hosts, routes, route status, counters. */
  view(): GatewayView | undefined {
    const gateway = this.mesh.snapshot.gateway
    return gateway === undefined ? undefined : gatewayView(gateway, this.stats)
  }

  /** Stops the listeners, waits for requests in flight, closes the mesh. */
  async close(): Promise<void> {
    await Promise.all([...this.#servers].map((server) => server.close()))
    await this.mesh.close()
  }

  on<E extends keyof AllEvents>(event: E, listener: AllEvents[E]): this {
    if (isGatewayEvent(event)) this.#parts.events.on(event, listener as never)
    else this.mesh.on(event as keyof MeshEvents, listener as never)
    return this
  }

  off<E extends keyof AllEvents>(event: E, listener?: AllEvents[E]): this {
    if (isGatewayEvent(event)) this.#parts.events.off(event, listener as never)
    else this.mesh.off(event as keyof MeshEvents, listener as never)
    return this
  }
}

function isGatewayEvent(event: PropertyKey): event is keyof GatewayEvents {
  return event === 'gatewayRequest' || event === 'certificateReloaded'
}
