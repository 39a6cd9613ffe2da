import type { CallContext, CallTarget, MeshEndpoint } from '@meshlet/core'
import type { CompiledRoute, CompiledTrafficPolicy, MeshSnapshot } from '@meshlet/rules'

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

/** The call context of this mesh: core's CallContext carrying the rules package's compiled types. */
export type MeshCallContext = CallContext<MeshSnapshot, CompiledRoute, CompiledTrafficPolicy> & {
  readonly record: CallRecord | undefined
}

export type MeshCallTarget = CallTarget<CompiledTrafficPolicy>
