import { LOCAL_REASONS, UpstreamFailureError, localReply } from '@meshlet/core'
import type { Layer, MeshRequest, MeshResponse } from '@meshlet/core'
import type { MeshCallContext } from '../call-context.js'

/**
 * The overall timeout, simply: the route `timeout` (Istio default: none) or the inbound request's
 * deadline, whichever ends first, bounds everything below (retries and backoff included, as
 * Envoy's route timeout does). When it fires the call below is aborted and the caller gets 504
 * with x-meshlet-reason: timeout. It covers the wait for response headers; a body still
 * streaming afterwards is not cut. @meshlet/resilience replaces this slot with its shared
 * deadline scheduler.
 */
export function createSimpleTimeoutLayer(): Layer<MeshRequest, MeshResponse, MeshCallContext> {
  return (next) => (request, context) => {
    const timeoutMs = context.route?.timeoutMs
    const routeDeadline = timeoutMs === undefined ? undefined : context.clock.now() + timeoutMs
    const inherited = context.deadlineMs
    const deadlineMs = routeDeadline === undefined ? inherited : inherited === undefined ? routeDeadline : Math.min(routeDeadline, inherited)
    if (deadlineMs === undefined) return next(request, context)

    const { clock } = context
    const controller = new AbortController()
    const callerSignal = request.signal
    const onCallerAbort = () => controller.abort(callerSignal?.reason)
    if (callerSignal?.aborted) return Promise.reject(new UpstreamFailureError('cancelled', false, callerSignal.reason))
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true })

    return new Promise<MeshResponse>((resolve, reject) => {
      let settled = false
      const finish = () => {
        settled = true
        clock.clearTimeout(timer)
        callerSignal?.removeEventListener('abort', onCallerAbort)
      }
      const timer = clock.setTimeout(() => {
        if (settled) return
        finish()
        controller.abort(new DOMException('route timeout', 'TimeoutError'))
        resolve(localReply(504, LOCAL_REASONS.timeout))
      }, Math.max(0, deadlineMs - clock.now()))
      next({ ...request, signal: controller.signal }, { ...context, deadlineMs }).then(
        (response) => {
          if (settled) return
          finish()
          resolve(response)
        },
        (error: unknown) => {
          if (settled) return
          finish()
          reject(error)
        },
      )
    })
  }
}
