import type { CallContext, CallTarget, MeshEndpoint } from '@meshlet/core'
import type { CompiledRoute, CompiledTrafficPolicy, MeshSnapshot } from '@meshlet/rules'
import type { Cancellation } from '@meshlet/resilience'

/**
 * What the layers of one call found out, for the `request` event. It exists only when the mesh
 * has a `request` listener; layers write into it when it is there and skip it otherwise.
 */
export interface CallRecord {
  route: CompiledRoute | undefined
  target: CallTarget<CompiledTrafficPolicy> | undefined
  endpoint: MeshEndpoint | undefined
  tries: number
}

/**
 * The call context of this mesh: core's CallContext carrying the rules package's compiled types,
 * plus what the resilience layers pass down (see wiring/call-adapter.ts).
 */
export type MeshCallContext = CallContext<MeshSnapshot, CompiledRoute, CompiledTrafficPolicy> & {
  readonly record: CallRecord | undefined
  /**
   * Headers meshlet added from the inbound request that only in-mesh destinations may see (routing
   * and identity headers, not trace context); dropped for a destination outside the mesh.
   */
  readonly meshOnlyHeaders: readonly string[]
  /** Cancels the call or the try (caller abort, route timeout, per-try timeout); the request's signal follows it. */
  readonly cancellation: Cancellation | undefined
  /** The retry layer's record of endpoints tried; the transport adds each try's endpoint. */
  readonly tried: { record(endpoint: MeshEndpoint): void } | undefined
}

export type MeshCallTarget = CallTarget<CompiledTrafficPolicy>
