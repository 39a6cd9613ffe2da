import { TryState, compose, runTry } from '@meshlet/core'
import type { Classifier } from '@meshlet/core'
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
  /** Telemetry's per-try half: outermost of the per-try part (each try's span and cluster stats). */
  readonly tryTelemetry?: MeshTryLayer
  readonly timeout?: MeshLayer
  /** The one layer that turns the per-try stack into a call (see createRetryLayer). */
  readonly retry?: (tries: MeshTryHandler) => MeshHandler
  readonly perTryTimeout?: MeshTryLayer
  readonly breaker?: MeshTryLayer
  readonly poolLimits?: MeshTryLayer
  readonly balancer?: MeshTryLayer
  readonly outlierDetection?: MeshTryLayer
}

export interface StackParts {
  readonly targets: TargetResolver
  /** The route's classifier for a call: what judges each try (the retry layer takes the same one). */
  readonly classifierOf: (call: MeshCallContext) => Classifier
  readonly transport: MeshTryHandler
  readonly slots: StackSlots
  readonly onFault?: FaultLayerOptions['onFault']
  readonly onMirror?: MirrorLayerOptions['onMirror']
  readonly shadows: MirrorLayerOptions['shadows']
}

/** A call slot not filled: hands the call on unchanged. */
export const passThroughLayer: MeshLayer = (next) => next
const passThroughTry: MeshTryLayer = (next) => next

/** Without a retry layer: every call is exactly one try, run and judged by the try executor. */
const oneTry = (classifierOf: StackParts['classifierOf']) => (tries: MeshTryHandler): MeshHandler => (request, call) => {
  const state = new TryState<MeshCallContext>(call, 0, undefined, call.startedAtMs)
  call.lastTry = state
  call.tries = 1
  return runTry(tries, request, state, classifierOf(call))
}

/**
 * The outbound stack, outermost first (docs/architecture.md, "The outbound stack"): the call part,
 * then the retry layer, then the per-try part ending in the transport. The per-try layers act on
 * the way down and leave observers (TryObserver) for the way up, which the try executor calls once
 * the try's verdict is in. The shadow handler, which
 * sends mirrored copies, is the bottom of the same stack from pool limits down (with the try's
 * telemetry): a shadow is balanced, pooled and classified like any try, but never retried and never faulted.
 */
export function buildStack(parts: StackParts): MeshHandler {
  const { slots } = parts
  if (slots.balancer === undefined) throw new TypeError('buildStack: the balancer slot is empty; a try needs an endpoint')
  const poolLimits = slots.poolLimits ?? passThroughTry
  const outlierDetection = slots.outlierDetection ?? passThroughTry
  const tryTelemetry = slots.tryTelemetry ?? passThroughTry
  const shadowTries = compose(tryTelemetry, poolLimits, slots.balancer, outlierDetection)(parts.transport)
  const classifierOf = parts.classifierOf
  const shadowHandler: MeshTryHandler = (request, state) => runTry(shadowTries, request, state, classifierOf(state.call))

  // Once per try, outermost first.
  const tries = compose<Parameters<MeshTryHandler>[0], Awaited<ReturnType<MeshTryHandler>>, Parameters<MeshTryHandler>[1]>(
    // 5b. try telemetry: each try's CLIENT span (its trace context sent upstream) and cluster stats.
    tryTelemetry,
    // 6. per-try timeout (`perTryTimeout`): the try's own deadline and cancellation.
    slots.perTryTimeout ?? passThroughTry,
    // 6b. error-ratio breaker (meshlet.io/circuit-breaker): per try, so every try counts and a retry
    //     meets an open circuit; above pool limits, so an open circuit queues nothing.
    slots.breaker ?? passThroughTry,
    // 7. connection pool limits per cluster (`connectionPool`): a bulkhead answering 503 overflow.
    poolLimits,
    // 8. balancer: picks the endpoint of this try, skipping ejected ones and those tried before.
    slots.balancer,
    // 9. outlier detection: charges the endpoint with what the verdict says, when the try ends.
    outlierDetection,
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
    // 5. retry: the call becomes tries, each run by the try executor, which judges it once (the
    //    route's classifier) and tells the per-try layers; above the balancer so each try picks an
    //    endpoint again.
    (slots.retry ?? oneTry(classifierOf))(tries),
  )
}
