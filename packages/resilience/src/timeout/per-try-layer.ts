import { systemClock, whenBodyDone } from '@meshlet/core'
import type { CallContext, Clock, MeshResponse, TryLayer, TryObserver, TryState, TypedEmitter } from '@meshlet/core'
import { DeadlineGuard } from '../deadline/guard.js'
import type { GuardExpired } from '../deadline/guard.js'
import { schedulerFor } from '../deadline/scheduler.js'
import type { DeadlineScheduler } from '../deadline/scheduler.js'
import type { TimeoutEvents } from './events.js'

export interface PerTryTimeoutLayerOptions<Call extends CallContext> {
  /** The route's `retries.perTryTimeout` in ms; undefined = none. */
  readonly perTryTimeoutOf: (call: Call) => number | undefined
  readonly scheduler?: DeadlineScheduler | undefined
  readonly clock?: Clock | undefined
  readonly events?: TypedEmitter<TimeoutEvents> | undefined
}

/**
 * The per-try timeout (`retries.perTryTimeout`), below the retry layer so that each try, the first
 * included, gets its own: the try's deadline (`state.deadlineMs`) and a token (`state.cancellation`)
 * that fires with reason `per-try-timeout` when it passes before the response headers. The try then
 * fails with that reason, which the retry layer retries only under 5xx, gateway-error or reset
 * (reference §6.2) and outlier detection counts as a timeout. A per-try timeout at or beyond the
 * call's deadline has no effect: the route timeout fires first, as Envoy ignores a per-try timeout
 * not shorter than the route's. The try's token keeps following the call's until its body is done,
 * so a route timeout during the body still aborts it. The same mechanism as the route timeout
 * (DeadlineGuard).
 */
export function createPerTryTimeoutLayer<Call extends CallContext>(options: PerTryTimeoutLayerOptions<Call>): TryLayer<Call> {
  const { perTryTimeoutOf, events } = options
  const scheduler = options.scheduler ?? schedulerFor(options.clock ?? systemClock)
  const clock = scheduler.clock
  const onExpired: GuardExpired | undefined =
    events === undefined
      ? undefined
      : (guard) => {
          if (events.listenerCount('timeout') > 0) events.emit('timeout', { kind: 'per-try', timeoutMs: guard.timeoutMs, phase: 'headers' })
        }

  return (next) => (request, state) => {
    const perTryMs = perTryTimeoutOf(state.call)
    if (perTryMs === undefined) return next(request, state)
    const tryDeadlineMs = clock.now() + perTryMs
    if (state.deadlineMs !== undefined && state.deadlineMs <= tryDeadlineMs) return next(request, state)
    const guard = new DeadlineGuard(scheduler, tryDeadlineMs, perTryMs, state.cancellation, 'per-try-timeout', onExpired)
    state.deadlineMs = tryDeadlineMs
    state.cancellation = guard.cancellation
    state.observe(new PerTryDeadline(guard))
    return next(request, state)
  }
}

/** When the try ends: the deadline stops once the headers are in; the link to the call lasts until the body is done. */
class PerTryDeadline implements TryObserver {
  constructor(private readonly guard: DeadlineGuard) {}

  tryEnded(_state: TryState, response: MeshResponse | undefined): MeshResponse | undefined {
    this.guard.disarm()
    if (response === undefined) this.guard.release()
    else whenBodyDone(response.body, this.guard.release)
    return response
  }
}
