import { localReply } from '@meshlet/core'
import type { CallContext, MeshResponse, TryLayer, TryObserver, TryState } from '@meshlet/core'
import { formatSetCookie } from '../consistent-hash/cookie.js'
import type { GeneratedCookie } from '../consistent-hash/cookie.js'
import type { MeshPicker } from './picker.js'

/**
 * The balancer slot of the outbound stack: picks the endpoint of this try (`state.endpoint`; a 503
 * no-healthy-upstream, Envoy's UH, when there is none) and tells the balancer the try started;
 * when the try ends it tells it the latency (time to response headers) and whether the verdict was
 * a failure, so least-request and peak-EWMA see load and latency, and adds a generated
 * consistent-hash cookie to the response.
 */
export function createBalancingLayer<Policy, Call extends CallContext<unknown, unknown, Policy>>(picker: MeshPicker<Policy>): TryLayer<Call> {
  const finished = new FinishedTry(picker)
  return (next) => (request, state) => {
    const target = state.call.target
    const picked = target === undefined ? undefined : picker.pickWithCookie(target, request, state)
    if (target === undefined || picked === undefined) return Promise.resolve(localReply(503, 'no-healthy-upstream'))
    state.endpoint = picked.endpoint
    picker.onStart(target, picked.endpoint)
    state.observe(finished)
    if (picked.setCookie !== undefined) state.observe(new CookieToSet(picked.setCookie))
    return next(request, state)
  }
}

/** The balancer's part when a try ends (one per layer: it reads everything from the try). */
class FinishedTry<Policy> implements TryObserver<CallContext<unknown, unknown, Policy>> {
  constructor(private readonly picker: MeshPicker<Policy>) {}

  tryEnded(state: TryState<CallContext<unknown, unknown, Policy>>, response: MeshResponse | undefined): MeshResponse | undefined {
    const call = state.call
    this.picker.onFinish(call.target!, state.endpoint!, call.clock.now() - state.startedAtMs, state.verdict?.result ?? 'failure')
    return response
  }
}

/** A consistent-hash cookie the balancer generated: the response sets it. */
class CookieToSet implements TryObserver {
  constructor(private readonly cookie: GeneratedCookie) {}

  tryEnded(_state: TryState, response: MeshResponse | undefined): MeshResponse | undefined {
    if (response === undefined) return response
    const existing = response.headers['set-cookie']
    const cookies = existing === undefined ? [] : typeof existing === 'string' ? [existing] : [...existing]
    return { ...response, headers: { ...response.headers, 'set-cookie': [...cookies, formatSetCookie(this.cookie)] } }
  }
}
