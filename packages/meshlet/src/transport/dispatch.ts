import type { MeshTryHandler } from '../call-context.js'
import type { PoolRegistry } from './pools.js'
import type { H2PoolRegistry } from './h2/pools.js'

/**
 * The terminal handler of the stack: each try goes to the transport of its target's protocol,
 * decided once when the target was built (router/targets.ts): HTTP/1.1 over undici, HTTP/2 over
 * node:http2. A port Istio would sniff keeps the caller's protocol (Envoy sniffs the client's
 * preface): HTTP/2 for a caller that speaks it (the gRPC ingress), HTTP/1.1 for mesh.fetch and
 * mesh.request.
 */
export function createProtocolTransport(http1: MeshTryHandler, h2: MeshTryHandler): MeshTryHandler {
  return (request, state) => {
    const protocol = state.call.target?.protocol
    if (protocol === 'h2' || (protocol === 'sniff' && request.callerProtocol === 'h2')) return h2(request, state)
    return http1(request, state)
  }
}

/** The connection pools of both transports, closed together when the mesh closes. */
export class TransportPools {
  constructor(
    readonly http1: PoolRegistry,
    readonly h2: H2PoolRegistry,
  ) {}

  /** Closes the pools of endpoints at these addresses, HTTP/1.1 and HTTP/2 (discovery removed them). */
  retire(addresses: ReadonlySet<string>): void {
    this.http1.retire(addresses)
    this.h2.retire(addresses)
  }

  async close(): Promise<void> {
    await Promise.all([this.http1.close(), this.h2.close()])
  }
}
