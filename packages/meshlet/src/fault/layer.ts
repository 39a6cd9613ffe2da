import { UpstreamFailureError } from '@meshlet/core'
import type { Cancellation, Clock, MeshResponse } from '@meshlet/core'
import type { MeshLayer } from '../call-context.js'
import type { FaultEvent } from '../mesh/events.js'
import { abortReply } from './abort-reply.js'

export interface FaultLayerOptions {
  /** Told about each injected delay and abort (only called when someone listens). */
  readonly onFault?: ((event: FaultEvent) => void) | undefined
}

/**
 * Fault injection from the matched route, before timeouts and retries as in Envoy (the fault
 * filter runs before the router): a delay first, then an abort, each drawn independently with the
 * context's random against its percentage (reference §7). The delay is not counted in the route
 * timeout; an abort is a local reply that is never retried.
 */
export function createFaultLayer(options: FaultLayerOptions = {}): MeshLayer {
  return (next) => (request, context) => {
    const fault = context.route?.fault
    if (fault === undefined) return next(request, context)
    const delay = fault.delay
    const delayed = delay !== undefined && delay.percentage > 0 && context.random() * 100 < delay.percentage
    const abort = fault.abort
    const aborted = abort !== undefined && abort.percentage > 0 && context.random() * 100 < abort.percentage
    const afterDelay = (): Promise<MeshResponse> => {
      if (aborted) {
        const reply = abortReply(abort)
        context.note({ kind: 'fault-abort', status: reply.status, grpcStatus: abort.grpcStatus })
        options.onFault?.({ kind: 'abort', status: reply.status, grpcStatus: abort.grpcStatus, route: context.route?.name, host: context.target?.host })
        return Promise.resolve(reply)
      }
      return next(request, context)
    }
    if (!delayed) return afterDelay()
    context.note({ kind: 'fault-delay', delayMs: delay.fixedDelayMs })
    options.onFault?.({ kind: 'delay', delayMs: delay.fixedDelayMs, route: context.route?.name, host: context.target?.host })
    return sleep(context.clock, delay.fixedDelayMs, context.cancellation).then(afterDelay)
  }
}

/**
 * Waits on the injected clock (its timer holds the process open: a call waits on it); the caller's
 * abort ends the wait as a cancelled call.
 */
function sleep(clock: Clock, delayMs: number, cancellation: Cancellation | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancellation?.cancelled) return reject(new UpstreamFailureError(cancellation.reason!, false, undefined))
    let unsubscribe: (() => void) | undefined
    const timer = clock.setTimeout(() => {
      unsubscribe?.()
      resolve()
    }, delayMs)
    unsubscribe = cancellation?.onCancel((reason) => {
      clock.clearTimeout(timer)
      reject(new UpstreamFailureError(reason, false, undefined))
    })
  })
}
