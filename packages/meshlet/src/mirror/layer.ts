import { CallContext, Cancellation, TryState, discardBody, failureOutcome, isReplayableBody, statusForFailure } from '@meshlet/core'
import type { MeshRequest } from '@meshlet/core'
import type { CompiledMirror } from '@meshlet/rules'
import type { MeshCallContext, MeshLayer, MeshTryHandler } from '../call-context.js'
import type { MirrorEvent } from '../mesh/events.js'
import { withoutMeshOnlyHeaders } from '../propagation/outbound.js'
import { shadowAuthority } from '../router/shadow-authority.js'
import type { TargetResolver } from '../router/targets.js'
import { teeBody } from './tee-body.js'

export interface MirrorLayerOptions {
  readonly targets: TargetResolver
  /** Sends a shadow request: the layers from pool limits down to the transport (no retries, no fault). */
  readonly shadowHandler: MeshTryHandler
  /** Shadow requests in flight (each one's cancellation), so closing the mesh can stop them. */
  readonly shadows: Set<Cancellation>
  readonly onMirror?: ((event: MirrorEvent) => void) | undefined
}

/**
 * Mirrors (`mirror`/`mirrors`, each with its percentage drawn from the context's random) send a
 * copy of the request, fire and forget: the primary never waits for a shadow and never fails
 * because of one. The copy goes to the mirror destination with `-shadow` appended to its Host
 * (Envoy's default), its answer is dropped. It sits below the fault layer because Envoy's router
 * filter shadows only requests the fault filter let through (an aborted request is not mirrored),
 * and above retries because a request is mirrored once, not once per try. A shadow is bounded by
 * the route timeout when the route has one.
 */
export function createMirrorLayer(options: MirrorLayerOptions): MeshLayer {
  return (next) => (request, context) => {
    const mirrors = context.route?.mirrors
    if (mirrors === undefined || mirrors.length === 0) return next(request, context)
    let primaryRequest = request
    for (const mirror of mirrors) {
      if (!(mirror.percentage >= 100 || context.random() * 100 < mirror.percentage)) continue
      let shadowBody = primaryRequest.body
      if (!isReplayableBody(shadowBody)) {
        const teed = teeBody(shadowBody)
        primaryRequest = { ...primaryRequest, body: teed.primary }
        shadowBody = teed.shadow
      }
      startShadow(options, mirror, { ...primaryRequest, body: shadowBody }, context)
    }
    return next(primaryRequest, context)
  }
}

function startShadow(options: MirrorLayerOptions, mirror: CompiledMirror, request: MeshRequest, context: MeshCallContext): void {
  // The shadow lives on its own: not cancelled with the primary, bounded by its own timer and by close().
  const cancellation = new Cancellation()
  options.shadows.add(cancellation)
  const timeoutMs = context.route?.timeoutMs
  const timer = timeoutMs === undefined ? undefined : context.clock.setTimeout(() => cancellation.cancel('timeout'), timeoutMs)
  const shadowRequest: MeshRequest = { ...request, authority: shadowAuthority(request.authority) }
  const port = mirror.port ?? context.target?.port ?? 80
  let cluster: string | undefined
  const finish = (status: number | undefined, reason: string | undefined, error: unknown) => {
    options.shadows.delete(cancellation)
    cancellation.release()
    if (timer !== undefined) context.clock.clearTimeout(timer)
    options.onMirror?.({ cluster, authority: shadowRequest.authority, status, reason, error })
  }
  const run = async () => {
    const resolved = await options.targets.resolve(context.snapshot, {
      host: mirror.host,
      subset: mirror.subset,
      port,
      passthroughName: mirror.host,
      scheme: context.routeTable?.upstreamScheme === 'http' ? 'http' : request.scheme,
    })
    if ('status' in resolved) return finish(resolved.status, resolved.localReason, undefined)
    cluster = resolved.key
    const shadow: MeshCallContext = new CallContext({
      snapshot: context.snapshot,
      clock: context.clock,
      random: context.random,
      inbound: context.inbound,
      meshOnlyHeaders: context.meshOnlyHeaders,
      cancellation,
      mirrorOf: context,
    })
    shadow.route = context.route
    shadow.target = resolved
    const state = new TryState(shadow, 0)
    shadow.lastTry = state
    shadow.tries = 1
    const sent = resolved.inMesh ? shadowRequest : withoutMeshOnlyHeaders(shadowRequest, context.meshOnlyHeaders)
    const response = await options.shadowHandler(sent, state)
    discardBody(response.body)
    finish(response.status, response.localReason, undefined)
  }
  run().catch((error: unknown) => {
    const outcome = failureOutcome(error)
    finish(outcome === undefined ? undefined : statusForFailure(outcome.reason), outcome?.reason, error)
  })
}
