import { MeshError } from '@meshlet/core'
import type { MeshTryHandler } from '../../call-context.js'
import { PoolSettingsCache } from '../pool-settings.js'
import type { H2PoolRegistry } from './pools.js'
import { h2SettingsOf } from './settings.js'
import { H2StreamTry } from './stream-try.js'

/**
 * The HTTP/2 terminal handler (a target whose protocol is `h2`): one try as one stream on the
 * endpoint's connection pool, cleartext with prior knowledge for http and ALPN h2 over TLS.
 *
 * Built on node:http2 rather than undici's HTTP/2 support: node:http2 hands over the response
 * trailers gRPC needs, speaks cleartext HTTP/2 with prior knowledge, and exposes what Envoy's
 * HTTP/2 pool acts on: the RST_STREAM code (REFUSED_STREAM), GOAWAY's last stream id, the server's
 * SETTINGS_MAX_CONCURRENT_STREAMS and PING.
 */
export function createH2Transport(pools: H2PoolRegistry): MeshTryHandler {
  const settings = new PoolSettingsCache()
  return (request, state) => {
    const endpoint = state.endpoint
    const target = state.call.target
    if (endpoint === undefined || target === undefined) {
      return Promise.reject(new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'transport reached without a target and endpoint: the stack has no balancer'))
    }
    const pool = pools.get(target.upstreamScheme, endpoint, h2SettingsOf(target, settings.for(target)))
    return new H2StreamTry(pool, request, state, target.upstreamScheme).response
  }
}
