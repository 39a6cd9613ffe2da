import type { MeshRequest } from '../http/request.js'
import type { MeshResponse } from '../http/response.js'
import type { Handler, Layer } from '../stack/handler.js'
import type { CallContext } from './call-context.js'
import type { TryState } from './try-state.js'

/**
 * The two halves of the outbound stack. Above the retry layer a handler serves a whole call
 * (CallContext); below it, one try (TryState, whose `call` is the call's context). The retry layer
 * is the one place that turns a try handler into a call handler, so the types show which layers
 * run once per call and which once per try.
 */
export type CallHandler<Call extends CallContext = CallContext> = Handler<MeshRequest, MeshResponse, Call>
export type CallLayer<Call extends CallContext = CallContext> = Layer<MeshRequest, MeshResponse, Call>
export type TryHandler<Call extends CallContext = CallContext> = Handler<MeshRequest, MeshResponse, TryState<Call>>
export type TryLayer<Call extends CallContext = CallContext> = Layer<MeshRequest, MeshResponse, TryState<Call>>
