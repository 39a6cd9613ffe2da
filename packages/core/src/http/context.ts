import type { Clock } from '../time/clock.js'
import type { Random } from '../time/random.js'
import type { InboundContext } from '../context/inbound.js'
import type { MeshEndpoint } from './endpoint.js'

/**
 * The cluster a call goes to, as Envoy names it: host, subset and port. The router sets it; pool
 * limits, the balancer and outlier detection key their per-cluster state by `key`.
 */
export interface CallTarget<Policy = unknown> {
  /** `outbound|<port>|<subset>|<host>`, Envoy's cluster name (stable across reloads). */
  readonly key: string
  /** FQDN (or the caller's host name for passthrough). */
  readonly host: string
  readonly subset: string | undefined
  /** Service port addressed (the route destination's port, else the request's). */
  readonly port: number
  /** The DestinationRule policy for this host, subset and port, defaults filled in. */
  readonly policy: Policy
  /** The endpoints of this cluster (subset already applied); empty when it has none. */
  readonly endpoints: readonly MeshEndpoint[]
  /** True when the request goes to the caller's own authority (unknown host, resolution NONE). */
  readonly passthrough: boolean
  /**
   * True when the destination is part of the mesh: declared by a VirtualService, DestinationRule or a
   * MESH_INTERNAL ServiceEntry, or given endpoints by the `endpoints` option or discovery. A
   * MESH_EXTERNAL ServiceEntry host or a host the mesh does not know is outside it: the routing and
   * identity headers handed on from the inbound request are not sent there.
   */
  readonly inMesh: boolean
  /** `https` when the upstream connection uses TLS (request scheme or DestinationRule tls). */
  readonly upstreamScheme: 'http' | 'https'
  /** TLS server name to send when upstreamScheme is https. */
  readonly sni: string | undefined
}

/**
 * Per-call state shared by the layers of one mesh.fetch. Fields marked "set by" are filled as the
 * call goes down the stack; a layer that changes one for the calls below it (attempt, endpoint)
 * passes `{ ...context, attempt }` rather than mutating what the layers above hold.
 *
 * Type parameters let the composition root carry its compiled types without core knowing them:
 * meshlet uses `CallContext<MeshSnapshot, CompiledRoute, CompiledTrafficPolicy>`. Layers written
 * against `CallContext` (all `unknown`) stay generic (`<Ctx extends CallContext>`) and receive
 * their policies through accessor options rather than reading `route`/`policy` themselves.
 */
export interface CallContext<Snapshot = unknown, Route = unknown, Policy = unknown> {
  /** The compiled config this call started with; a reload does not change it mid-call. */
  readonly snapshot: Snapshot
  readonly clock: Clock
  readonly random: Random
  /** clock.now() when the call entered the mesh. */
  readonly startedAtMs: number
  /** Absolute time (clock scale) by which the whole call must end: route timeout or inbound deadline. */
  readonly deadlineMs: number | undefined
  /** 0 for the first try; set by the retry layer. */
  readonly attempt: number
  /** The inbound request being handled when this call was made (adapters set it), if any. */
  readonly inbound: InboundContext | undefined
  /** Set by the router: the matched route (undefined for a host without VirtualService). */
  readonly route: Route | undefined
  /** Set by the router: where the call goes. */
  readonly target: CallTarget<Policy> | undefined
  /** Set by the balancer: the endpoint of this try. */
  readonly endpoint: MeshEndpoint | undefined
  /** Endpoints tried by earlier tries of this call (Envoy's previous_hosts predicate). */
  readonly triedEndpoints: readonly MeshEndpoint[]
  /** True for a mirrored (shadow) copy of a call. */
  readonly shadow: boolean
}
