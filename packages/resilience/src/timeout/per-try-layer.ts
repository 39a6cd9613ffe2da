import { systemClock } from '@meshlet/core'
import type { Clock, Layer, TypedEmitter } from '@meshlet/core'
import type { CallAdapter } from '../call/adapter.js'
import { Cancellation } from '../deadline/cancellation.js'
import { expectedTimeoutMs } from '../deadline/propagation.js'
import { schedulerFor } from '../deadline/scheduler.js'
import type { DeadlineScheduler } from '../deadline/scheduler.js'
import type { TimeoutEvents } from './events.js'

export type PerTryTimeoutAdapter<Req, Res, Ctx> = Pick<
  CallAdapter<Req, Res, Ctx>,
  'failureError' | 'discardResponse' | 'deadlineOf' | 'cancellationOf' | 'withDeadline' | 'withCancellation' | 'withExpectedTimeout' | 'onBodyDone'
>

export interface PerTryTimeoutLayerOptions<Req, Res, Ctx> {
  readonly adapter: PerTryTimeoutAdapter<Req, Res, Ctx>
  /** The route's `retries.perTryTimeout` in ms; undefined = none. */
  readonly perTryTimeoutOf: (request: Req, context: Ctx) => number | undefined
  readonly scheduler?: DeadlineScheduler | undefined
  readonly clock?: Clock | undefined
  readonly events?: TypedEmitter<TimeoutEvents> | undefined
}

/**
 * The per-try timeout (`retries.perTryTimeout`), below the retry layer so that each try, the first
 * included, gets its own. When it passes before the response headers arrive, the try is cancelled
 * and fails with a `per-try-timeout` failure outcome, which the retry layer retries only under
 * 5xx, gateway-error or reset (reference §6.2) and outlier detection counts as a timeout. A per-try
 * timeout at or beyond the time left has no effect: the route timeout fires first, as Envoy
 * ignores a per-try timeout not shorter than the route's. Each try also tells the upstream its
 * deadline in `x-envoy-expected-rq-timeout-ms` when the adapter supports it.
 */
export function createPerTryTimeoutLayer<Req, Res, Ctx>(options: PerTryTimeoutLayerOptions<Req, Res, Ctx>): Layer<Req, Res, Ctx> {
  const { adapter, perTryTimeoutOf, events } = options
  const scheduler = options.scheduler ?? schedulerFor(options.clock ?? systemClock)
  const clock = scheduler.clock

  return (next) => (request, context) => {
    const now = clock.now()
    const perTryMs = perTryTimeoutOf(request, context)
    const callDeadlineMs = adapter.deadlineOf(context)
    let tryRequest = request
    if (adapter.withExpectedTimeout !== undefined) {
      const expectedMs = expectedTimeoutMs(perTryMs, callDeadlineMs, now)
      if (expectedMs !== undefined) tryRequest = adapter.withExpectedTimeout(request, expectedMs)
    }
    if (perTryMs === undefined) return next(tryRequest, context)
    const tryDeadlineMs = now + perTryMs
    if (callDeadlineMs !== undefined && callDeadlineMs <= tryDeadlineMs) return next(tryRequest, context)

    const cancellation = new Cancellation(adapter.cancellationOf(context, request))
    const innerContext = adapter.withDeadline(context, tryDeadlineMs, cancellation)
    const innerRequest = adapter.withCancellation === undefined ? tryRequest : adapter.withCancellation(tryRequest, cancellation)
    return new Promise<Res>((resolve, reject) => {
      let settled = false
      const deadline = scheduler.schedule(tryDeadlineMs, () => {
        if (settled) return
        settled = true
        cancellation.cancel('per-try-timeout')
        if (events !== undefined && events.listenerCount('timeout') > 0) events.emit('timeout', { kind: 'per-try', timeoutMs: perTryMs, phase: 'headers' })
        reject(adapter.failureError('per-try-timeout', true))
      })
      next(innerRequest, innerContext).then(
        (response) => {
          if (settled) {
            adapter.discardResponse(response)
            return
          }
          settled = true
          deadline.cancel()
          // The try's token keeps following the call's until the body is done, so a route timeout
          // during the body still aborts it.
          if (adapter.onBodyDone === undefined) {
            cancellation.release()
            resolve(response)
          } else {
            resolve(adapter.onBodyDone(response, () => cancellation.release()))
          }
        },
        (error: unknown) => {
          if (settled) return
          settled = true
          deadline.cancel()
          cancellation.release()
          reject(error)
        },
      )
    })
  }
}
