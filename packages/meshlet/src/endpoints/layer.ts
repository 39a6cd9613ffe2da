import { LOCAL_REASONS, localReply } from '@meshlet/core'
import type { Layer, MeshRequest, MeshResponse } from '@meshlet/core'
import type { MeshCallContext } from '../call-context.js'
import type { EndpointPicker } from './picker.js'

/**
 * The balancer slot: picks the endpoint of this try and hands it to the layers below. With no
 * endpoint to pick it answers 503 no-healthy-upstream (Envoy flag UH).
 */
export function createBalancerLayer(picker: EndpointPicker): Layer<MeshRequest, MeshResponse, MeshCallContext> {
  return (next) => (request, context) => {
    const target = context.target
    const endpoint = target === undefined ? undefined : picker.pick(target, request, context)
    if (endpoint === undefined) return Promise.resolve(localReply(503, LOCAL_REASONS.noHealthyUpstream))
    return next(request, { ...context, endpoint })
  }
}
