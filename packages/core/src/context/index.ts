export { runWithInboundContext, currentInboundContext, pickPropagatedHeaders, DEFAULT_PROPAGATED_HEADERS } from './inbound.js'
export type { InboundContext } from './inbound.js'
export { propagationList, generateRequestId, REQUEST_ID_HEADER } from './propagation.js'
export type { PropagationOptions } from './propagation.js'
