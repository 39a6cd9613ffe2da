import { LOCAL_REASONS, defaultClassifier, failureOutcome, localReply, responseOutcome } from '@meshlet/core'
import type { CallContext, Classifier, Layer, MeshRequest, MeshResponse } from '@meshlet/core'
import { formatSetCookie } from '../consistent-hash/cookie.js'
import type { MeshPicker } from './picker.js'

export interface BalancingLayerOptions {
  /** Decides which outcomes count as failures for the load metrics; core's default: 5xx and transport failures. */
  readonly classify?: Classifier | undefined
}

/**
 * The balancer slot of the outbound stack: picks the endpoint of this try (503
 * no-healthy-upstream when there is none, Envoy's UH), tells the balancer when the try starts and
 * ends so least-request and peak-EWMA see load and latency (time to response headers), and adds
 * a generated consistent-hash cookie to the response.
 */
export function createBalancingLayer<Policy, Ctx extends CallContext<unknown, unknown, Policy>>(
  picker: MeshPicker<Policy>,
  options: BalancingLayerOptions = {},
): Layer<MeshRequest, MeshResponse, Ctx> {
  const classify = options.classify ?? defaultClassifier
  return (next) => async (request, context) => {
    const target = context.target
    const picked = target === undefined ? undefined : picker.pickWithCookie(target, request, context)
    if (target === undefined || picked === undefined) return localReply(503, LOCAL_REASONS.noHealthyUpstream)
    const { endpoint, setCookie } = picked
    const startedAtMs = context.clock.now()
    picker.onStart(target, endpoint)
    let response: MeshResponse
    try {
      response = await next(request, { ...context, endpoint })
    } catch (error) {
      const outcome = failureOutcome(error)
      picker.onFinish(target, endpoint, context.clock.now() - startedAtMs, outcome === undefined ? 'failure' : classify(outcome, request))
      throw error
    }
    picker.onFinish(target, endpoint, context.clock.now() - startedAtMs, classify(responseOutcome(response), request))
    if (setCookie === undefined) return response
    const existing = response.headers['set-cookie']
    const cookies = existing === undefined ? [] : typeof existing === 'string' ? [existing] : [...existing]
    return { ...response, headers: { ...response.headers, 'set-cookie': [...cookies, formatSetCookie(setCookie)] } }
  }
}
