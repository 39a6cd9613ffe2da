import { MeshError, UNIX_SOCKET_PREFIX } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import type { Dispatcher } from 'undici'
import type { MeshTryHandler } from '../call-context.js'
import { CallHandler } from './call-handler.js'
import { upstreamHeaders } from './hop-headers.js'
import { PoolSettingsCache } from './pool-settings.js'
import type { PoolRegistry } from './pools.js'

/** undici reads `servername` from dispatch options (core/request.js) though its types leave it out. */
type DispatchOptions = Dispatcher.DispatchOptions & { servername?: string | undefined }

/** A placeholder server name for plain-HTTP requests, which undici only reads for TLS. */
const PLAIN_HTTP_SERVERNAME = 'plain-http'

/**
 * The terminal handler: sends one try to the endpoint the balancer chose (`state.endpoint`), over a
 * keep-alive undici pool, with the request body streamed as given and the response body streamed
 * back. The upstream sees the request's authority as Host and, when the try has a deadline, the
 * time it has left in `x-envoy-expected-rq-timeout-ms`, as Envoy's router tells it. The try's
 * cancellation stops it at once. A try that ends without a response rejects with an
 * UpstreamFailureError naming why.
 */
export function createTransport(pools: PoolRegistry): MeshTryHandler {
  const settings = new PoolSettingsCache()
  const httpOrigins = new WeakMap<MeshEndpoint, string>()
  const httpsOrigins = new WeakMap<MeshEndpoint, string>()

  const originOf = (scheme: 'http' | 'https', endpoint: MeshEndpoint): string => {
    const cache = scheme === 'https' ? httpsOrigins : httpOrigins
    let origin = cache.get(endpoint)
    if (origin === undefined) {
      // A unix socket endpoint is a pool of its own, whatever host name the request carries.
      origin = endpoint.address.startsWith(UNIX_SOCKET_PREFIX) ? `unix:${endpoint.address.slice(UNIX_SOCKET_PREFIX.length)}|${scheme}` : `${scheme}://${endpoint.id}`
      cache.set(endpoint, origin)
    }
    return origin
  }

  return (request, state) => {
    const endpoint = state.endpoint
    const target = state.call.target
    if (endpoint === undefined || target === undefined) {
      return Promise.reject(new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'transport reached without a target and endpoint: the stack has no balancer'))
    }
    const poolSettings = settings.for(target)
    const pool = pools.get(originOf(target.upstreamScheme, endpoint), poolSettings)
    const handler = new CallHandler(state.cancellation)
    const deadlineMs = state.deadlineMs
    pool.dispatch(
      {
        path: request.path,
        method: request.method,
        headers: upstreamHeaders(request.headers, request.authority, deadlineMs === undefined ? undefined : deadlineMs - state.call.clock.now()),
        body: request.body as never,
        // undici would otherwise derive a TLS server name from the Host header on every request
        // (an IP-address regex), and on an https pool that name would replace the pool's own
        // (DestinationRule sni) at connect time; plain-HTTP pools never use it.
        servername: poolSettings.tls === undefined ? PLAIN_HTTP_SERVERNAME : poolSettings.tls.servername,
        // maxRequestsPerConnection: 1 (Envoy: no keep-alive) closes the connection after this request.
        reset: poolSettings.maxRequestsPerConnection === 1,
      } as DispatchOptions,
      handler as never,
    )
    return handler.response
  }
}
