import { RESILIENCE_STATE_VERSION } from '@meshlet/resilience'
import type { ResilienceState } from '@meshlet/resilience'
import { MeshError } from '@meshlet/core'
import type { Clock, MeshRequest, Random, TypedEmitter } from '@meshlet/core'
import { explain } from '@meshlet/rules'
import type { MeshSnapshot, RouteDecision } from '@meshlet/rules'
import { MeshMetrics } from '@meshlet/otel'
import type { WorkloadIdentity } from '@meshlet/otel'
import { listenAdmin } from '../admin/server.js'
import type { AdminServer } from '../admin/server.js'
import type { AdminOptions } from '../admin/options.js'
import type { GatewayView } from '../admin/render/gateway-view.js'
import { meshAdminSources } from '../admin/sources.js'
import type { DataPlaneRegistries } from '../admin/cluster-views.js'
import type { MeshRequestOptions } from '../fetch/node-request.js'
import type { MeshRequestResult } from '../fetch/node-response.js'
import { headersToPropagate } from '../propagation/headers-to-propagate.js'
import { corsDecision } from '../router/cors.js'
import type { CorsDecision } from '../router/cors.js'
import { noEtcd } from '../discovery/runtime.js'
import type { RegisterOptions, Registration } from '../discovery/runtime.js'
import type { CallPath } from './call-path.js'
import type { MeshEvents } from './events.js'
import type { Lifecycle } from './lifecycle.js'
import type { Reloader } from './reloader.js'

/** What a mesh is made of; createMesh builds every part first and hands them in. */
export interface MeshParts {
  readonly events: TypedEmitter<MeshEvents>
  readonly callPath: CallPath
  readonly reloader: Reloader
  readonly lifecycle: Lifecycle
  readonly clock: Clock
  readonly random: Random
  /** What the resilience layers learned (ejections, open breakers), as plain JSON. */
  readonly snapshotState?: (() => ResilienceState) | undefined
  /** Registers an instance in etcd (present when the etcd option is). */
  readonly register?: ((instance: RegisterOptions) => Promise<Registration>) | undefined
  /** What the admin server reads: the data plane's registries and this workload's identity. */
  readonly admin?: { readonly registries: () => DataPlaneRegistries | undefined; readonly identity: WorkloadIdentity; readonly metrics?: MeshMetrics | undefined } | undefined
}

export interface MeshAdminOptions extends AdminOptions {
  /** The metrics to serve; by default the mesh's own (empty with `telemetry: false`). */
  readonly metrics?: MeshMetrics | undefined
  /** What /gateway serves; createGateway's `gateway.listenAdmin()` sets it. */
  readonly gateway?: (() => GatewayView | undefined) | undefined
}

/** A request for explain(): a method, an absolute URL and headers. */
export interface ExplainInput {
  readonly method: string
  readonly url: string
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>
}

type Listener<E extends keyof MeshEvents> = MeshEvents[E]

/**
 * An in-process service mesh: `fetch` and `request` send calls through the stack with the current
 * rules, `explain` says what it would do with one, events (`on`) report what happens, `reload`
 * changes the rules, `close` drains. The parts live in their own files: the call path
 * (call-path.ts), the rules and their reloads (reloader.ts), start and stop (lifecycle.ts).
 */
export class Mesh {
  readonly clock: Clock
  readonly random: Random
  readonly #events: TypedEmitter<MeshEvents>
  readonly #reloader: Reloader
  readonly #lifecycle: Lifecycle
  readonly #takeState: (() => ResilienceState) | undefined
  readonly #admin: MeshParts['admin']
  readonly #registrar: MeshParts['register']
  #ownMetrics: MeshMetrics | undefined

  /**
   * `fetch` with the mesh in the way: same signature, a real Response. Routing failures answer
   * as Envoy does (404/503/504 with x-meshlet-reason); the promise rejects only for a bad
   * request, a caller's abort (with the signal's reason) or a closed mesh.
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>

  /**
   * The low-level entry point, shaped like `undici.request`: the same stack as `fetch` (routes,
   * retries, timeouts, balancing, events), without WHATWG Request, Response or web streams. It
   * resolves with the status, the headers (lower-case, repeats as lists) and the body as a Node
   * Readable, which must be read or destroyed. Redirects are not followed (undici.request's
   * default). It rejects as fetch does: a bad request, a caller's abort, a closed mesh.
   */
  readonly request: (url: string | URL, options?: MeshRequestOptions) => Promise<MeshRequestResult>

  constructor(parts: MeshParts) {
    this.clock = parts.clock
    this.random = parts.random
    this.#events = parts.events
    this.#reloader = parts.reloader
    this.#lifecycle = parts.lifecycle
    this.#takeState = parts.snapshotState
    this.#admin = parts.admin
    this.#registrar = parts.register
    this.fetch = parts.callPath.fetch
    this.request = parts.callPath.request
  }

  /** The compiled rules new calls use. */
  get snapshot(): MeshSnapshot {
    return this.#reloader.current
  }

  get closed(): boolean {
    return this.#lifecycle.closed
  }

  /** What the mesh would do with this request, as plain JSON (the route, destinations, policies). */
  explain(request: ExplainInput): RouteDecision {
    return explain(this.#reloader.current, request, { random: this.random })
  }

  /** What an inbound adapter should do about CORS for this request (see CorsDecision). */
  cors(request: Pick<MeshRequest, 'method' | 'scheme' | 'authority' | 'path' | 'headers'>): CorsDecision {
    return corsDecision(this.#reloader.current, request)
  }

  /** Header names an inbound request should hand on to outbound calls (trace headers plus every header a rule matches on). */
  headersToPropagate(): readonly string[] {
    return headersToPropagate(this.#reloader.current)
  }

  /**
   * Reads and compiles the rules again. On success the new snapshot serves new calls (calls in
   * flight finish on theirs) and `configReloaded` is emitted; on failure the last good snapshot
   * stays and `configRejected` is emitted with the MeshConfigError. Concurrent reloads coalesce.
   */
  reload(): Promise<boolean> {
    return this.#reloader.reload()
  }

  /**
   * What the mesh learned about its destinations that is worth keeping across a restart: endpoints
   * ejected by outlier detection (with the time they have left and their ejection multiplier) and
   * breakers not closed. Plain JSON; pass it to `createMesh({ state })` in the next process.
   */
  snapshotState(): ResilienceState {
    return this.#takeState?.() ?? { version: RESILIENCE_STATE_VERSION, savedAtMs: Date.now(), outliers: {}, breakers: {} }
  }

  /**
   * Starts an admin server like Envoy's (/stats/prometheus, /clusters, /config_dump, /ready and a
   * live page at /), on 127.0.0.1:15000 unless told otherwise; another address than loopback needs
   * `allowNonLoopback: true`. While the mesh drains /ready answers 503 DRAINING; it closes once the
   * mesh has closed. Events are listened to only while it is open.
   */
  async listenAdmin(options: MeshAdminOptions = {}): Promise<AdminServer> {
    if (this.closed) throw new MeshError('MESHLET_ERR_MESH_CLOSED', 'mesh.listenAdmin called after mesh.close()')
    const metrics = options.metrics ?? this.#admin?.metrics ?? (this.#ownMetrics ??= new MeshMetrics({ identity: this.#admin?.identity }))
    const registries = this.#admin?.registries ?? (() => undefined)
    const server = await listenAdmin(meshAdminSources({ mesh: this, events: this.#events, registries, metrics, gateway: options.gateway }), options)
    // Kept up while the mesh drains, so /ready answers DRAINING until the calls in flight are done.
    this.#lifecycle.afterClose(() => server.close())
    return server
  }

  /**
   * Registers an instance of this service in etcd as a WorkloadEntry on a lease kept alive
   * (`<prefix>workloads/<namespace>/<name>`), so ServiceEntries selecting its labels send it
   * traffic. Needs the `etcd` option. `registration.close()` deregisters at once; mesh.close()
   * closes every registration; a crashed process disappears when its lease expires.
   */
  register(instance: RegisterOptions): Promise<Registration> {
    if (this.closed) return Promise.reject(new MeshError('MESHLET_ERR_MESH_CLOSED', 'mesh.register called after mesh.close()'))
    return this.#registrar === undefined ? Promise.reject(noEtcd()) : this.#registrar(instance)
  }

  /** Stops file watching and live sources (deregistering), aborts mirrors, waits for calls in flight (bodies included), closes pools. Idempotent. */
  close(): Promise<void> {
    return this.#lifecycle.close()
  }

  /** Registers something to stop when the mesh closes (a file watcher, a live source); close() waits for it. */
  onClose(cleanup: () => void | Promise<void>): void {
    this.#lifecycle.onClose(cleanup)
  }

  // Events: the mesh's typed emitter. Nothing internal listens on it, so removing listeners never
  // changes what the mesh does; each event is built only when someone listens.

  on<E extends keyof MeshEvents>(event: E, listener: Listener<E>): this {
    this.#events.on(event, listener as never)
    return this
  }

  addListener<E extends keyof MeshEvents>(event: E, listener: Listener<E>): this {
    return this.on(event, listener)
  }

  once<E extends keyof MeshEvents>(event: E, listener: Listener<E>): this {
    this.#events.once(event, listener as never)
    return this
  }

  off<E extends keyof MeshEvents>(event: E, listener?: Listener<E>): this {
    this.#events.off(event, listener as never)
    return this
  }

  removeListener<E extends keyof MeshEvents>(event: E, listener?: Listener<E>): this {
    return this.off(event, listener)
  }

  removeAllListeners(event?: keyof MeshEvents): this {
    this.#events.removeAllListeners(event)
    return this
  }

  listenerCount(event: keyof MeshEvents): number {
    return this.#events.listenerCount(event)
  }

  listeners<E extends keyof MeshEvents>(event: E): Array<Listener<E>> {
    return this.#events.listeners(event) as Array<Listener<E>>
  }

  eventNames(): Array<keyof MeshEvents> {
    return this.#events.eventNames() as Array<keyof MeshEvents>
  }
}
