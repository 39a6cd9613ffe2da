export { runWithInboundContext, currentInboundContext, pickPropagatedHeaders, DEFAULT_PROPAGATED_HEADERS } from './inbound.js'
export type { InboundContext } from './inbound.js'
