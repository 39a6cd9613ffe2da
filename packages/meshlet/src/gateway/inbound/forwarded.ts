import { generateRequestId } from '@meshlet/core'

/**
 * The headers Envoy adds to a request entering the mesh at an edge proxy, as Istio's gateway
 * configures it (use_remote_address; envoy docs configuration/http/http_conn_man/headers):
 * - `x-forwarded-for`: the client address appended to what the client sent;
 * - `x-forwarded-proto`: the scheme of the client's connection (what the client claims is replaced);
 * - `x-envoy-external-address`: the client address (every client of a meshlet gateway counts as external);
 * - `x-request-id`: kept when the client sent one, a new UUID otherwise.
 * `x-envoy-*` headers a client sent are dropped, as Envoy does for external requests: they would
 * otherwise steer the mesh (an `x-envoy-expected-rq-timeout-ms`, say).
 */
export function forwardedHeaders(headers: Readonly<Record<string, string>>, clientAddress: string | undefined, scheme: 'http' | 'https', newRequestId: () => string = generateRequestId): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) {
    if (name.startsWith('x-envoy-')) continue
    out[name] = headers[name]!
  }
  if (clientAddress !== undefined) {
    const existing = out['x-forwarded-for']
    out['x-forwarded-for'] = existing === undefined || existing === '' ? clientAddress : `${existing}, ${clientAddress}`
    out['x-envoy-external-address'] = clientAddress
  }
  out['x-forwarded-proto'] = scheme
  if (out['x-request-id'] === undefined || out['x-request-id'] === '') out['x-request-id'] = newRequestId()
  return out
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) as `10.0.0.1`. */
export function clientAddressOf(remoteAddress: string | undefined): string | undefined {
  if (remoteAddress === undefined) return undefined
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress
}
