import { compose } from '@meshlet/core'
import type { Handler, Layer, MeshRequest, MeshResponse } from '@meshlet/core'
import type { MeshCallContext } from './call-context.js'
import { createBalancerLayer } from './endpoints/layer.js'
import { roundRobinPicker } from './endpoints/round-robin.js'
import { createFaultLayer } from './fault/layer.js'
import type { FaultLayerOptions } from './fault/layer.js'
import { createFailureReplyLayer } from './local-reply/layer.js'
import { createMirrorLayer } from './mirror/layer.js'
import type { MirrorLayerOptions } from './mirror/layer.js'
import { createRouterLayer } from './router/layer.js'
import type { TargetResolver } from './router/targets.js'

export type MeshLayer = Layer<MeshRequest, MeshResponse, MeshCallContext>
export type MeshHandler = Handler<MeshRequest, MeshResponse, MeshCallContext>

/**
 * The layers other packages provide. createMesh fills them from @meshlet/resilience and
 * @meshlet/balancer (wiring/default-slots.ts); a slot left empty here is `passThroughLayer` (does
 * nothing), and the balancer slot falls back to plain round robin.
 */
export interface StackSlots {
  readonly telemetry?: MeshLayer
  readonly timeout?: MeshLayer
  readonly retry?: MeshLayer
  readonly perTryTimeout?: MeshLayer
  readonly breaker?: MeshLayer
  readonly poolLimits?: MeshLayer
  readonly balancer?: MeshLayer
  readonly outlierDetection?: MeshLayer
}

export interface StackParts {
  readonly targets: TargetResolver
  readonly transport: MeshHandler
  readonly slots: StackSlots
  readonly onFault?: FaultLayerOptions['onFault']
  readonly onMirror?: MirrorLayerOptions['onMirror']
  readonly shadowsInFlight: Set<AbortController>
}

/** A slot not filled yet: hands the call on unchanged. */
export const passThroughLayer: MeshLayer = (next) => next

/**
 * The outbound stack, outermost first (DESIGN.md "Default outbound stack"). The shadow handler,
 * which sends mirrored copies, is the bottom of the same stack from pool limits down: a shadow is
 * balanced and pooled like any call, but never retried and never faulted.
 */
export function buildStack(parts: StackParts): MeshHandler {
  const { slots } = parts
  const poolLimits = slots.poolLimits ?? passThroughLayer
  const balancer = slots.balancer ?? createBalancerLayer(roundRobinPicker())
  const outlierDetection = slots.outlierDetection ?? passThroughLayer
  const shadowHandler = compose(poolLimits, balancer, outlierDetection)(parts.transport)

  return compose<MeshRequest, MeshResponse, MeshCallContext>(
    // 1. telemetry: outermost, so it sees the whole call as the caller does, local replies included.
    slots.telemetry ?? passThroughLayer,
    // 1b. failure replies: a try that ended without a response becomes Envoy's 503/504 here, once,
    //     after retries had their chance; a caller's abort rejects like fetch.
    createFailureReplyLayer(),
    // 2. router: match the VirtualService route, pick the weighted destination, rewrite, redirect,
    //    direct response, header operations; everything below reads context.route/target.
    createRouterLayer(parts.targets),
    // 3. fault injection: delays and aborts before timeouts and retries, as Envoy's fault filter
    //    runs before its router; an abort is a local reply no retry sees.
    createFaultLayer({ onFault: parts.onFault }),
    // 3b. mirrors: after faults (an aborted request is not shadowed) and above retries (shadowed once).
    createMirrorLayer({ targets: parts.targets, shadowHandler, inFlight: parts.shadowsInFlight, onMirror: parts.onMirror }),
    // 4. overall timeout (route `timeout`, inbound deadline): bounds every try and every backoff.
    slots.timeout ?? passThroughLayer,
    // 5. retry: above the balancer so each try picks an endpoint again, avoiding ones already tried.
    slots.retry ?? passThroughLayer,
    // 6. per-try timeout (`perTryTimeout`): inside retry, so each try has its own.
    slots.perTryTimeout ?? passThroughLayer,
    // 6b. error-ratio breaker (meshlet.io/circuit-breaker): per try, so every try counts and a
    //     retry meets an open circuit; above pool limits, so an open circuit queues nothing.
    slots.breaker ?? passThroughLayer,
    // 7. connection pool limits per cluster (`connectionPool`): a bulkhead answering 503 overflow.
    poolLimits,
    // 8. balancer: pick an endpoint of the subset for this try.
    balancer,
    // 9. outlier detection recorder: sees the outcome of each try on the endpoint it went to.
    outlierDetection,
  )(
    // 10. transport: undici keep-alive pool per endpoint; the terminal handler.
    parts.transport,
  )
}
