import type { CallContext, CallHandler, CallLayer, CallTarget, TryHandler, TryLayer, TryState } from '@meshlet/core'
import type { CompiledRoute, CompiledTrafficPolicy, MeshSnapshot, RouteTable } from '@meshlet/rules'

/** The call context of this mesh: core's CallContext carrying the rules package's compiled types. */
export type MeshCallContext = CallContext<MeshSnapshot, CompiledRoute, CompiledTrafficPolicy, RouteTable>

/** One try of a mesh call (core's TryState on MeshCallContext). */
export type MeshTryState = TryState<MeshCallContext>

export type MeshCallTarget = CallTarget<CompiledTrafficPolicy>

/** A layer of the call part of the stack (above the retry layer) and of the try part (below it). */
export type MeshLayer = CallLayer<MeshCallContext>
export type MeshHandler = CallHandler<MeshCallContext>
export type MeshTryLayer = TryLayer<MeshCallContext>
export type MeshTryHandler = TryHandler<MeshCallContext>
