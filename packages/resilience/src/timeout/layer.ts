import { UpstreamFailureError, systemClock, whenBodyDone } from '@meshlet/core'
import type { CallContext, CallLayer, Clock, MeshRequest, TypedEmitter } from '@meshlet/core'
import { earlierDeadline } from '../deadline/deadline.js'
import { DeadlineGuard } from '../deadline/guard.js'
import type { GuardExpired } from '../deadline/guard.js'
import { schedulerFor } from '../deadline/scheduler.js'
import type { DeadlineScheduler } from '../deadline/scheduler.js'
import type { TimeoutEvents } from './events.js'

export interface TimeoutLayerOptions<Call extends CallContext> {
  /** The route's `timeout` in ms (and a gRPC request's own grpc-timeout); undefined = none (Istio's default). */
  readonly timeoutOf: (request: MeshRequest, call: Call) => number | undefined
  /** The process-wide scheduler by default (one per clock). */
  readonly scheduler?: DeadlineScheduler | undefined
  readonly clock?: Clock | undefined
  readonly events?: TypedEmitter<TimeoutEvents> | undefined
}

/**
 * The route timeout, which bounds the whole call: every try, every backoff and the response body
 * (Envoy router doc, reference §6.1). The deadline is the earlier of the route timeout and the one
 * the call already carries (an inbound request's), and it becomes the call's: `call.deadlineMs`,
 * and `call.cancellation`, which fires with reason `timeout` when it passes. Every try follows that
 * token, so whatever is waiting ends with a `timeout` failure, which no retry takes up and which
 * meshlet answers with 504 and `x-meshlet-reason: timeout`; a body still streaming is aborted, as
 * Envoy resets a response that outlives its route timeout.
 */
export function createTimeoutLayer<Call extends CallContext>(options: TimeoutLayerOptions<Call>): CallLayer<Call> {
  const { timeoutOf, events } = options
  const scheduler = options.scheduler ?? schedulerFor(options.clock ?? systemClock)
  const clock = scheduler.clock
  const onExpired: GuardExpired | undefined =
    events === undefined
      ? undefined
      : (guard) => {
          if (events.listenerCount('timeout') > 0) events.emit('timeout', { kind: 'route', timeoutMs: guard.timeoutMs, phase: guard.answered ? 'body' : 'headers' })
        }

  return (next) => (request, call) => {
    const now = clock.now()
    const routeTimeoutMs = timeoutOf(request, call)
    const deadlineMs = earlierDeadline(routeTimeoutMs === undefined ? undefined : now + routeTimeoutMs, call.deadlineMs)
    if (deadlineMs === undefined) return next(request, call)
    if (deadlineMs <= now) {
      if (events !== undefined && events.listenerCount('timeout') > 0) events.emit('timeout', { kind: 'route', timeoutMs: 0, phase: 'headers' })
      return Promise.reject(new UpstreamFailureError('timeout', false, undefined))
    }
    const guard = new DeadlineGuard(scheduler, deadlineMs, deadlineMs - now, call.cancellation, 'timeout', onExpired)
    call.deadlineMs = deadlineMs
    call.cancellation = guard.cancellation
    return next(request, call).then(
      (response) => {
        guard.answered = true
        whenBodyDone(response.body, guard.release)
        return response
      },
      (error: unknown) => {
        guard.release()
        throw error
      },
    )
  }
}
