import { answerTryLocally } from '@meshlet/core'
import type { CallContext, MeshResponse, TryLayer } from '@meshlet/core'
import { formatSetCookie } from '../consistent-hash/cookie.js'
import type { MeshPicker } from './picker.js'

/**
 * The balancer slot of the outbound stack: picks the endpoint of this try (`state.endpoint`; a 503
 * no-healthy-upstream, Envoy's UH, when there is none), tells the balancer when the try starts and
 * ends so least-request and peak-EWMA see load and latency (time to response headers) and whether
 * the try's verdict was a failure, and adds a generated consistent-hash cookie to the response.
 */
export function createBalancingLayer<Policy, Call extends CallContext<unknown, unknown, Policy>>(picker: MeshPicker<Policy>): TryLayer<Call> {
  return (next) => (request, state) => {
    const target = state.call.target
    const picked = target === undefined ? undefined : picker.pickWithCookie(target, request, state)
    if (target === undefined || picked === undefined) return Promise.resolve(answerTryLocally(state, 503, 'no-healthy-upstream'))
    const { endpoint, setCookie } = picked
    state.endpoint = endpoint
    picker.onStart(target, endpoint)
    const finish = (): void => picker.onFinish(target, endpoint, state.call.clock.now() - state.startedAtMs, state.verdict?.result ?? 'failure')
    return next(request, state).then(
      (response) => {
        finish()
        return setCookie === undefined ? response : withCookie(response, formatSetCookie(setCookie))
      },
      (error: unknown) => {
        finish()
        throw error
      },
    )
  }
}

function withCookie(response: MeshResponse, cookie: string): MeshResponse {
  const existing = response.headers['set-cookie']
  const cookies = existing === undefined ? [] : typeof existing === 'string' ? [existing] : [...existing]
  return { ...response, headers: { ...response.headers, 'set-cookie': [...cookies, cookie] } }
}
