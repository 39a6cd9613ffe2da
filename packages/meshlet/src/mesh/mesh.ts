import { MeshError, TypedEmitter, currentInboundContext, discardBody, isMeshError } from '@meshlet/core'
import type { Clock, InboundContext, MeshRequest, MeshResponse, Random } from '@meshlet/core'
import { Cancellation, RESILIENCE_STATE_VERSION } from '@meshlet/resilience'
import type { ResilienceState } from '@meshlet/resilience'
import { explain } from '@meshlet/rules'
import type { MeshConfigError, MeshSnapshot, RouteDecision } from '@meshlet/rules'
import type { CallRecord, MeshCallContext } from '../call-context.js'
import { toMeshRequest } from '../fetch/request.js'
import { toFetchResponse } from '../fetch/response.js'
import { toNodeMeshRequest } from '../fetch/node-request.js'
import type { MeshRequestOptions } from '../fetch/node-request.js'
import { toNodeResult } from '../fetch/node-response.js'
import type { MeshRequestResult } from '../fetch/node-response.js'
import { corsDecision } from '../router/cors.js'
import type { CorsDecision } from '../router/cors.js'
import { isLiveOrigin } from '../discovery/origins.js'
import { noEtcd } from '../discovery/runtime.js'
import type { RegisterOptions, Registration } from '../discovery/runtime.js'
import type { MeshHandler } from '../stack.js'
import type { PoolRegistry } from '../transport/pools.js'
import { onBodyDone } from '../wiring/body-done.js'
import type { MeshEvents } from './events.js'
import { headersToPropagate } from './propagation.js'
import { MAX_REDIRECTS, followRedirect, redirectTarget } from './redirects.js'

const NO_ENDPOINTS: readonly never[] = Object.freeze([])

/** What the mesh needs to run; createMesh builds it. */
export interface MeshParts {
  readonly snapshot: MeshSnapshot
  /** Builds the stack; the mesh is the emitter its layers report events on. */
  readonly buildHandler: (events: TypedEmitter<MeshEvents>) => MeshHandler
  readonly pools: PoolRegistry
  readonly clock: Clock
  readonly random: Random
  readonly shadowsInFlight: Set<AbortController>
  /** Reads and compiles the rules again (from the same options). */
  readonly reload: () => Promise<MeshSnapshot>
  /** What the resilience layers learned (ejections, open breakers), as plain JSON. */
  readonly snapshotState?: () => ResilienceState
  /** Registers an instance in etcd (present when the etcd option is). */
  readonly register?: (instance: RegisterOptions) => Promise<Registration>
}

/** A request for explain(): a method, an absolute URL and headers. */
export interface ExplainInput {
  readonly method: string
  readonly url: string
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>
}

/**
 * An in-process service mesh: `fetch` sends calls through the stack with the current rules,
 * `explain` says what it would do with one, events report what happens, `close` drains.
 */
export class Mesh extends TypedEmitter<MeshEvents> {
  readonly clock: Clock
  readonly random: Random
  private current: MeshSnapshot
  private readonly handler: MeshHandler
  private readonly pools: PoolRegistry
  private readonly shadowsInFlight: Set<AbortController>
  private readonly reloadSnapshot: () => Promise<MeshSnapshot>
  private readonly takeState: (() => ResilienceState) | undefined
  private inFlight = 0
  private drainWaiters: Array<() => void> = []
  private closing: Promise<void> | undefined
  private reloading: Promise<boolean> | undefined
  private reloadAgain = false
  private readonly cleanups: Array<() => void | Promise<void>> = []
  private readonly registrar: ((instance: RegisterOptions) => Promise<Registration>) | undefined

  constructor(parts: MeshParts) {
    super()
    this.current = parts.snapshot
    this.handler = parts.buildHandler(this)
    this.pools = parts.pools
    this.clock = parts.clock
    this.random = parts.random
    this.shadowsInFlight = parts.shadowsInFlight
    this.reloadSnapshot = parts.reload
    this.takeState = parts.snapshotState
    this.registrar = parts.register
  }

  /** The compiled rules new calls use. */
  get snapshot(): MeshSnapshot {
    return this.current
  }

  get closed(): boolean {
    return this.closing !== undefined
  }

  /**
   * `fetch` with the mesh in the way: same signature, a real Response. Routing failures answer
   * as Envoy does (404/503/504 with x-meshlet-reason); the promise rejects only for a bad
   * request, a caller's abort (with the signal's reason) or a closed mesh.
   */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    this.assertOpen('mesh.fetch')
    const converted = toMeshRequest(input, init)
    const inbound = currentInboundContext()
    let request = inbound === undefined ? converted.request : withPropagatedHeaders(converted.request, inbound)
    let url = converted.url
    this.inFlight += 1
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await this.call(request, url, inbound)
        const location = converted.redirect === 'manual' ? undefined : redirectTarget(response)
        if (location === undefined) return toFetchResponse(response, url.href, redirects > 0, request.method)
        discardBody(response.body)
        if (converted.redirect === 'error') throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: unexpected redirect to ${location} (redirect: 'error')`)
        if (redirects >= MAX_REDIRECTS) throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `mesh.fetch: more than ${MAX_REDIRECTS} redirects`)
        ;({ request, url } = followRedirect(request, url, response.status, location))
      }
    } finally {
      this.callEnded()
    }
  }

  /**
   * The low-level entry point, shaped like `undici.request`: the same stack as `fetch` (routes,
   * retries, timeouts, balancing, events), without WHATWG Request, Response or web streams. It
   * resolves with the status, the headers (lower-case, repeats as lists) and the body as a Node
   * Readable, which must be read or destroyed. Redirects are not followed (undici.request's
   * default). It rejects as fetch does: a bad request, a caller's abort, a closed mesh.
   */
  readonly request = async (url: string | URL, options?: MeshRequestOptions): Promise<MeshRequestResult> => {
    this.assertOpen('mesh.request')
    const converted = toNodeMeshRequest(url, options)
    const inbound = currentInboundContext()
    const request = inbound === undefined ? converted : withPropagatedHeaders(converted, inbound)
    this.inFlight += 1
    try {
      return toNodeResult(await this.call(request, url, inbound))
    } finally {
      this.callEnded()
    }
  }

  /** What the mesh would do with this request, as plain JSON (the route, destinations, policies). */
  explain(request: ExplainInput): RouteDecision {
    return explain(this.current, request, { random: this.random })
  }

  /** What an inbound adapter should do about CORS for this request (see CorsDecision). */
  cors(request: Pick<MeshRequest, 'method' | 'scheme' | 'authority' | 'path' | 'headers'>): CorsDecision {
    return corsDecision(this.current, request)
  }

  /** Header names an inbound request should hand on to outbound calls (trace headers plus every header a rule matches on). */
  headersToPropagate(): readonly string[] {
    return headersToPropagate(this.current)
  }

  /**
   * Reads and compiles the rules again. On success the new snapshot serves new calls (calls in
   * flight finish on theirs) and `configReloaded` is emitted; on failure the last good snapshot
   * stays and `configRejected` is emitted with the MeshConfigError. Concurrent reloads coalesce.
   */
  reload(): Promise<boolean> {
    if (this.reloading !== undefined) {
      this.reloadAgain = true
      return this.reloading
    }
    this.reloading = this.runReloads().finally(() => (this.reloading = undefined))
    return this.reloading
  }

  /**
   * What the mesh learned about its destinations that is worth keeping across a restart: endpoints
   * ejected by outlier detection (with the time they have left and their ejection multiplier) and
   * breakers not closed. Plain JSON; pass it to `createMesh({ state })` in the next process.
   */
  snapshotState(): ResilienceState {
    return this.takeState?.() ?? { version: RESILIENCE_STATE_VERSION, savedAtMs: Date.now(), outliers: {}, breakers: {} }
  }

  /**
   * Registers an instance of this service in etcd as a WorkloadEntry on a lease kept alive
   * (`<prefix>workloads/<namespace>/<name>`), so ServiceEntries selecting its labels send it
   * traffic. Needs the `etcd` option. `registration.close()` deregisters at once; mesh.close()
   * closes every registration; a crashed process disappears when its lease expires.
   */
  register(instance: RegisterOptions): Promise<Registration> {
    this.assertOpen('mesh.register')
    return this.registrar === undefined ? Promise.reject(noEtcd()) : this.registrar(instance)
  }

  /** Stops file watching and live sources (deregistering), aborts mirrors, waits for calls in flight (bodies included), closes pools. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(this.cleanups.splice(0).map((cleanup) => cleanup()))
      for (const shadow of this.shadowsInFlight) shadow.abort(new DOMException('mesh closed', 'AbortError'))
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.drainWaiters.push(resolve))
      await this.pools.close()
    })()
    return this.closing
  }

  /** Registers something to stop when the mesh closes (a file watcher, a live source); close() waits for it. */
  onClose(cleanup: () => void | Promise<void>): void {
    if (this.closing !== undefined) void cleanup()
    else this.cleanups.push(cleanup)
  }

  private assertOpen(entry: string): void {
    if (this.closing !== undefined) throw new MeshError('MESHLET_ERR_MESH_CLOSED', `${entry} called after mesh.close()`)
  }

  private callEnded(): void {
    this.inFlight -= 1
    if (this.inFlight === 0 && this.drainWaiters.length > 0) for (const resolve of this.drainWaiters.splice(0)) resolve()
  }

  /** One call through the stack, shared by fetch and request. `url` is only read for the `request` event. */
  private async call(request: MeshRequest, url: string | URL, inbound: InboundContext | undefined): Promise<MeshResponse> {
    const record: CallRecord | undefined = this.listenerCount('request') > 0 ? { route: undefined, target: undefined, endpoint: undefined, tries: 0 } : undefined
    const startedAtMs = this.clock.now()
    // The root of the call's cancellation: timeouts below derive theirs from it, so the caller's
    // abort reaches every try. Released once the response body is over.
    const cancellation = request.signal === undefined ? undefined : Cancellation.fromSignal(request.signal)
    const context: MeshCallContext = {
      snapshot: this.current,
      clock: this.clock,
      random: this.random,
      startedAtMs,
      deadlineMs: inbound?.deadlineMs,
      attempt: 0,
      inbound,
      route: undefined,
      target: undefined,
      endpoint: undefined,
      triedEndpoints: NO_ENDPOINTS,
      shadow: false,
      record,
      cancellation,
      tried: undefined,
    }
    let response: MeshResponse
    try {
      response = await this.handler(request, context)
    } catch (error) {
      cancellation?.release()
      throw error
    }
    // A caller that aborted before the answer was ready gets its abort, as from fetch, even when a
    // layer still had an answer in hand (the retry layer returns the last try's when cancelled in a backoff).
    if (request.signal?.aborted === true) {
      discardBody(response.body)
      cancellation?.release()
      throw request.signal.reason
    }
    if (cancellation !== undefined) response = onBodyDone(response, () => cancellation.release())
    if (record !== undefined) {
      this.emit('request', {
        method: request.method,
        url: typeof url === 'string' ? url : url.href,
        status: response.status,
        localReason: response.localReason,
        route: record.route?.name,
        cluster: record.target?.key,
        endpoint: record.endpoint?.id,
        tries: record.tries,
        durationMs: this.clock.now() - startedAtMs,
      })
    }
    return response
  }

  private async runReloads(): Promise<boolean> {
    let ok = false
    do {
      this.reloadAgain = false
      ok = await this.reloadOnce()
    } while (this.reloadAgain && this.closing === undefined)
    return ok
  }

  private async reloadOnce(): Promise<boolean> {
    try {
      const snapshot = await this.reloadSnapshot()
      if (this.closing !== undefined) return false
      this.current = snapshot
      if (this.listenerCount('configReloaded') > 0) {
        const files = [...new Set(snapshot.resources.map((resource) => resource.file).filter((file) => !file.startsWith('<') && !isLiveOrigin(file)))]
        this.emit('configReloaded', { generation: snapshot.generation, files })
      }
      return true
    } catch (error) {
      if (!isMeshError(error)) throw error
      this.emit('configRejected', error as MeshConfigError)
      return false
    }
  }
}

/** Adds the inbound request's propagated headers the caller did not set itself. */
function withPropagatedHeaders(request: MeshRequest, inbound: InboundContext): MeshRequest {
  let headers: Record<string, string> | undefined
  for (const name in inbound.propagatedHeaders) {
    if (request.headers[name] !== undefined) continue
    headers ??= { ...request.headers }
    headers[name] = inbound.propagatedHeaders[name]!
  }
  return headers === undefined ? request : { ...request, headers }
}
