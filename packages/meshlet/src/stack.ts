import { TryState, compose } from '@meshlet/core'
import type { MeshCallContext, MeshHandler, MeshLayer, MeshTryHandler, MeshTryLayer } from './call-context.js'
import { createFaultLayer } from './fault/layer.js'
import type { FaultLayerOptions } from './fault/layer.js'
import { createFailureReplyLayer } from './local-reply/layer.js'
import { createMirrorLayer } from './mirror/layer.js'
import type { MirrorLayerOptions } from './mirror/layer.js'
import { createRouterLayer } from './router/layer.js'
import type { TargetResolver } from './router/targets.js'

/**
 * The layers other packages provide, by slot. createMesh fills them from @meshlet/resilience and
 * @meshlet/balancer (wiring/default-slots.ts) and the telemetry slot with the `request` event
 * (telemetry/); the `layers` option replaces any of them. An empty slot does nothing, except that
 * without a retry layer a call is one try, and the balancer slot must be filled.
 */
export interface StackSlots {
  readonly telemetry?: MeshLayer
  readonly timeout?: MeshLayer
  /** The one layer that turns the per-try stack into a call (see createRetryLayer). */
  readonly retry?: (tries: MeshTryHandler) => MeshHandler
  readonly perTryTimeout?: MeshTryLayer
  readonly breaker?: MeshTryLayer
  readonly poolLimits?: MeshTryLayer
  readonly balancer?: MeshTryLayer
  readonly outlierDetection?: MeshTryLayer
  /** Sets each try's outcome and verdict next to the transport (see createClassifyLayer). */
  readonly classifier?: MeshTryLayer
}

export interface StackParts {
  readonly targets: TargetResolver
  readonly transport: MeshTryHandler
  readonly slots: StackSlots
  readonly onFault?: FaultLayerOptions['onFault']
  readonly onMirror?: MirrorLayerOptions['onMirror']
  readonly shadows: MirrorLayerOptions['shadows']
}

/** A call slot not filled: hands the call on unchanged. */
export const passThroughLayer: MeshLayer = (next) => next
const passThroughTry: MeshTryLayer = (next) => next

/** Without a retry layer: every call is exactly one try. */
const oneTry = (tries: MeshTryHandler): MeshHandler => (request, call) => {
  const state = new TryState<MeshCallContext>(call, 0)
  call.lastTry = state
  call.tries = 1
  return tries(request, state)
}

/**
 * The outbound stack, outermost first (docs/architecture.md, "The outbound stack"): the call part,
 * then the retry layer, then the per-try part ending in the transport. The shadow handler, which
 * sends mirrored copies, is the bottom of the same stack from pool limits down: a shadow is
 * balanced, pooled and classified like any try, but never retried and never faulted.
 */
export function buildStack(parts: StackParts): MeshHandler {
  const { slots } = parts
  if (slots.balancer === undefined) throw new TypeError('buildStack: the balancer slot is empty; a try needs an endpoint')
  const poolLimits = slots.poolLimits ?? passThroughTry
  const outlierDetection = slots.outlierDetection ?? passThroughTry
  const classifier = slots.classifier ?? passThroughTry
  const shadowHandler = compose(poolLimits, slots.balancer, outlierDetection, classifier)(parts.transport)

  // Once per try, outermost first.
  const tries = compose<Parameters<MeshTryHandler>[0], Awaited<ReturnType<MeshTryHandler>>, Parameters<MeshTryHandler>[1]>(
    // 6. per-try timeout (`perTryTimeout`): the try's own deadline and cancellation.
    slots.perTryTimeout ?? passThroughTry,
    // 6b. error-ratio breaker (meshlet.io/circuit-breaker): per try, so every try counts and a retry
    //     meets an open circuit; above pool limits, so an open circuit queues nothing.
    slots.breaker ?? passThroughTry,
    // 7. connection pool limits per cluster (`connectionPool`): a bulkhead answering 503 overflow.
    poolLimits,
    // 8. balancer: picks the endpoint of this try, skipping ejected ones and those tried before.
    slots.balancer,
    // 9. outlier detection: charges the endpoint with what the verdict says.
    outlierDetection,
    // 9b. classifier: the try's one outcome and verdict, next to the transport; every layer above reads it.
    classifier,
  )(
    // 10. transport: undici keep-alive pool per endpoint; the terminal handler.
    parts.transport,
  )

  // Once per call, outermost first.
  return compose<Parameters<MeshHandler>[0], Awaited<ReturnType<MeshHandler>>, MeshCallContext>(
    // 1. telemetry: outermost, so it sees the whole call as the caller does, local replies included.
    slots.telemetry ?? passThroughLayer,
    // 1b. failure replies: a call that ended without a response becomes Envoy's 503/504 here, once,
    //     after retries had their chance; a caller's abort rejects like fetch.
    createFailureReplyLayer(),
    // 2. router: match the VirtualService route, pick the weighted destination, rewrite, redirect,
    //    direct response, header operations; sets call.route and call.target.
    createRouterLayer(parts.targets),
    // 3. fault injection: delays and aborts before timeouts and retries, as Envoy's fault filter
    //    runs before its router; an abort is a local reply no retry sees.
    createFaultLayer({ onFault: parts.onFault }),
    // 3b. mirrors: after faults (an aborted request is not shadowed) and above retries (shadowed once).
    createMirrorLayer({ targets: parts.targets, shadowHandler, shadows: parts.shadows, onMirror: parts.onMirror }),
    // 4. route timeout (and the inbound deadline): the call's deadline and cancellation, which every
    //    try and backoff follows.
    slots.timeout ?? passThroughLayer,
  )(
    // 5. retry: the call becomes tries; above the balancer so each try picks an endpoint again.
    (slots.retry ?? oneTry)(tries),
  )
}
