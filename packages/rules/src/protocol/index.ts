export { parsePortProtocol, kubernetesPortProtocol, isHttp2Protocol } from './port-protocol.js'
export type { PortProtocol } from './port-protocol.js'
export { upstreamProtocolOf } from './upstream-protocol.js'
