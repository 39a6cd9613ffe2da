import { systemClock } from '@meshlet/core'
import type { Clock, Layer, TypedEmitter } from '@meshlet/core'
import type { CallAdapter } from '../call/adapter.js'
import { Cancellation } from '../deadline/cancellation.js'
import { earlierDeadline } from '../deadline/deadline.js'
import { schedulerFor } from '../deadline/scheduler.js'
import type { DeadlineScheduler } from '../deadline/scheduler.js'
import type { TimeoutEvents } from './events.js'

export type TimeoutAdapter<Req, Res, Ctx> = Pick<
  CallAdapter<Req, Res, Ctx>,
  'localReply' | 'discardResponse' | 'deadlineOf' | 'cancellationOf' | 'withDeadline' | 'withCancellation' | 'onBodyDone'
>

export interface TimeoutLayerOptions<Req, Res, Ctx> {
  readonly adapter: TimeoutAdapter<Req, Res, Ctx>
  /** The route's `timeout` in ms; undefined = none (Istio's default). */
  readonly timeoutOf: (request: Req, context: Ctx) => number | undefined
  /** The process-wide scheduler by default (one per clock). */
  readonly scheduler?: DeadlineScheduler | undefined
  readonly clock?: Clock | undefined
  readonly events?: TypedEmitter<TimeoutEvents> | undefined
}

/**
 * The route timeout, which bounds the whole call: every try and every backoff (Envoy router doc,
 * reference §6.1). The deadline is the earlier of the route timeout and the deadline the call
 * already carries (an inbound request's, see inboundDeadline), and the layers below see it in
 * their context. When it passes before a response arrives the caller gets a local 504 with
 * `x-meshlet-reason: timeout` and the call below is cancelled; when it passes while the body is
 * still streaming (the adapter tells with onBodyDone), the body is aborted, as Envoy resets a
 * response that outlives its route timeout. One deadline scheduler serves every call: no timer
 * and no AbortSignal listener per call.
 */
export function createTimeoutLayer<Req, Res, Ctx>(options: TimeoutLayerOptions<Req, Res, Ctx>): Layer<Req, Res, Ctx> {
  const { adapter, timeoutOf, events } = options
  const scheduler = options.scheduler ?? schedulerFor(options.clock ?? systemClock)
  const clock = scheduler.clock

  const emit = (timeoutMs: number, phase: 'headers' | 'body'): void => {
    if (events !== undefined && events.listenerCount('timeout') > 0) events.emit('timeout', { kind: 'route', timeoutMs, phase })
  }

  return (next) => (request, context) => {
    const now = clock.now()
    const routeTimeoutMs = timeoutOf(request, context)
    const deadlineMs = earlierDeadline(routeTimeoutMs === undefined ? undefined : now + routeTimeoutMs, adapter.deadlineOf(context))
    if (deadlineMs === undefined) return next(request, context)
    if (deadlineMs <= now) {
      emit(0, 'headers')
      return Promise.resolve(adapter.localReply(504, 'timeout'))
    }

    const cancellation = new Cancellation(adapter.cancellationOf(context, request))
    const innerContext = adapter.withDeadline(context, deadlineMs, cancellation)
    const innerRequest = adapter.withCancellation === undefined ? request : adapter.withCancellation(request, cancellation)
    return new Promise<Res>((resolve, reject) => {
      let answered = false
      const deadline = scheduler.schedule(deadlineMs, () => {
        cancellation.cancel('timeout')
        if (answered) {
          emit(deadlineMs - now, 'body')
          return
        }
        answered = true
        emit(deadlineMs - now, 'headers')
        resolve(adapter.localReply(504, 'timeout'))
      })
      const finish = (): void => {
        deadline.cancel()
        cancellation.release()
      }
      next(innerRequest, innerContext).then(
        (response) => {
          if (answered) {
            // The timeout answered first; nobody will read this response.
            adapter.discardResponse(response)
            return
          }
          answered = true
          if (adapter.onBodyDone === undefined) {
            finish()
            resolve(response)
          } else {
            resolve(adapter.onBodyDone(response, finish))
          }
        },
        (error: unknown) => {
          if (answered) return
          answered = true
          finish()
          reject(error)
        },
      )
    })
  }
}
