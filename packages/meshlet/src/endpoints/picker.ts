import type { MeshEndpoint, MeshRequest } from '@meshlet/core'
import type { MeshCallContext, MeshCallTarget } from '../call-context.js'

/**
 * Chooses the endpoint of one try among the endpoints of the call's target (the subset already
 * applied). Returns undefined when none can take the call (the balancer layer then answers 503
 * no-healthy-upstream). `context.triedEndpoints` lists the endpoints earlier tries used, for
 * Envoy's previous-hosts predicate. This is the seam where @meshlet/balancer's pickers plug in:
 * the stack takes the balancer layer as a slot, so swapping the picker is one line in stack.ts.
 */
export interface EndpointPicker {
  pick(target: MeshCallTarget, request: MeshRequest, context: MeshCallContext): MeshEndpoint | undefined
}
