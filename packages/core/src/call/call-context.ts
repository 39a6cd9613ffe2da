import type { InboundContext } from '../context/inbound.js'
import type { Clock } from '../time/clock.js'
import type { Random } from '../time/random.js'
import type { Cancellation } from './cancellation.js'
import type { CallNote, TimedNote } from './notes.js'
import type { CallTarget } from './target.js'
import type { TryState } from './try-state.js'

/** What a call starts with; the entry point (mesh.fetch, mesh.request, a mirror) provides it. */
export interface CallStart<Snapshot> {
  /** The compiled config this call started with; a reload does not change it mid-call. */
  readonly snapshot: Snapshot
  readonly clock: Clock
  readonly random: Random
  /** The inbound request being handled when this call was made (adapters set it), if any. */
  readonly inbound: InboundContext | undefined
  /** Headers the entry point added from the inbound request that only in-mesh destinations may see. */
  readonly meshOnlyHeaders: readonly string[]
  /** The caller's cancellation (its AbortSignal), if it gave one. */
  readonly cancellation: Cancellation | undefined
  /** For a mirrored (shadow) copy of a call: the call it copies. */
  readonly mirrorOf?: object | undefined
  /**
   * The route table the router uses for this call; undefined: the snapshot's own (the mesh's). A
   * gateway's inbound front gives the table of the port the request came in on.
   */
  readonly routeTable?: unknown
}

/**
 * One call through the stack, from the entry point to the answer. Each call has its own (a mirror
 * makes its own for the shadow), so the layers fill it in place rather than copying it: each field
 * below the line is written by the one layer named, once, and read by the layers under it and, when
 * the call is over, by telemetry. A try's own state is a TryState, never this object.
 *
 * Type parameters let the composition root carry its compiled types without core knowing them:
 * meshlet uses `CallContext<MeshSnapshot, CompiledRoute, CompiledTrafficPolicy>`.
 */
export class CallContext<Snapshot = unknown, Route = unknown, Policy = unknown, Table = unknown> {
  readonly snapshot: Snapshot
  /** The route table the router uses (see CallStart.routeTable); undefined for the snapshot's own. */
  readonly routeTable: Table | undefined
  readonly clock: Clock
  readonly random: Random
  /** clock.now() when the call entered the mesh. */
  readonly startedAtMs: number
  readonly inbound: InboundContext | undefined
  readonly meshOnlyHeaders: readonly string[]
  /** True for a mirrored (shadow) copy of a call; `mirrorOf` is the call it copies. */
  readonly shadow: boolean
  /** The call this one copies (a CallContext; typed loosely so the class stays simple to check). */
  readonly mirrorOf: object | undefined

  /** Set by the router: the matched route (undefined for a host without VirtualService). */
  route: Route | undefined = undefined
  /** Set by the router: where the call goes. */
  target: CallTarget<Policy> | undefined = undefined
  /**
   * Absolute time (clock scale) by which the whole call must end: the inbound request's deadline
   * from the start; the route timeout layer makes it the earlier of that and the route timeout.
   */
  deadlineMs: number | undefined
  /**
   * Stops the whole call: the caller's abort from the start; the route timeout layer replaces it
   * with a child that also fires, with reason `timeout`, at the deadline. Each try follows it.
   */
  cancellation: Cancellation | undefined
  /** Set by the retry layer: the try in progress, or the last one once the call is over. */
  lastTry: TryState<this> | undefined = undefined
  /** Set by the retry layer: tries started so far. */
  tries = 0
  /** What happened along the way that the answer does not show (see CallNote), with when; undefined until something does. */
  notes: Array<TimedNote> | undefined = undefined

  constructor(start: CallStart<Snapshot>) {
    this.snapshot = start.snapshot
    this.routeTable = start.routeTable as Table | undefined
    this.clock = start.clock
    this.random = start.random
    this.startedAtMs = start.clock.now()
    this.inbound = start.inbound
    this.meshOnlyHeaders = start.meshOnlyHeaders
    this.mirrorOf = start.mirrorOf
    this.shadow = start.mirrorOf !== undefined
    this.deadlineMs = start.inbound?.deadlineMs
    this.cancellation = start.cancellation
  }

  /** Notes something telemetry should tell (a fault delay, a retry, an ejection), with the time now. */
  note(note: CallNote): void {
    ;(this.notes ??= []).push({ ...note, atMs: this.clock.now() })
  }
}
