import { once } from 'node:events'
import { createServer } from 'node:https'
import type { Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { CallContext, TryState, seededRandom, systemClock } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { readText } from '@meshlet/testing'
import type { MeshCallContext, MeshTryState } from '../call-context.js'
import { PoolRegistry } from './pools.js'
import { createTransport } from './transport.js'

/** A throwaway self-signed P-256 certificate (CN meshlet-test), only for this loopback test. */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCHS3pGmJrggRF1tI
kbM1uaSinP+EGwWcNZb3e1NhxX2hRANCAATbV97D/xJKnim2FuzKczrYM1JpDnNJ
y0oe1c68RGyKVv9LngpsXIMMBjNuFYpAsRARoPg1Fwic9hVZkJC9UwE2
-----END PRIVATE KEY-----`
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBhTCCASugAwIBAgIUPGzzWYi3ckYVfrRJ2WOe4FPH3twwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMbWVzaGxldC10ZXN0MCAXDTI2MTEyNTAxMDAzMFoYDzIxMjYx
MTAxMDEwMDMwWjAXMRUwEwYDVQQDDAxtZXNobGV0LXRlc3QwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAATbV97D/xJKnim2FuzKczrYM1JpDnNJy0oe1c68RGyKVv9L
ngpsXIMMBjNuFYpAsRARoPg1Fwic9hVZkJC9UwE2o1MwUTAdBgNVHQ4EFgQUN4KV
LU4348YUhV9tOJ3JZP621lowHwYDVR0jBBgwFoAUN4KVLU4348YUhV9tOJ3JZP62
1lowDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAyE1f4K8vl1R2
e3Qe69tNi+GJHGf43UrJNUVLmj7PjIUCIBTRuS82pkx0qEnK0bnFjye+A9nqlcB/
o26DwxiObhW2
-----END CERTIFICATE-----`

let server: Server | undefined
let pools: PoolRegistry | undefined
afterEach(async () => {
  await pools?.destroy()
  server?.closeAllConnections()
  server?.close()
  server = undefined
  pools = undefined
})

const tlsPolicy = {
  loadBalancer: { algorithm: 'ROUND_ROBIN', consistentHash: undefined, locality: undefined, warmup: undefined },
  connectionPool: { maxConnections: 0, connectTimeoutMs: 10_000, tcpIdleTimeoutMs: undefined, maxConnectionDurationMs: undefined, http1MaxPendingRequests: 0, http2MaxRequests: 0, maxRequestsPerConnection: 0, maxRetries: 0, httpIdleTimeoutMs: undefined },
  outlierDetection: undefined,
  tls: { mode: 'SIMPLE', sni: 'reviews.example', insecureSkipVerify: true },
  retryBudget: undefined,
  extensions: {},
} as const

function httpsContext(endpoint: MeshEndpoint): MeshTryState {
  const call: MeshCallContext = new CallContext({ snapshot: undefined as never, clock: systemClock, random: seededRandom(1), inbound: undefined, meshOnlyHeaders: [], cancellation: undefined })
  call.target = { key: 'outbound|443||reviews', host: 'reviews', subset: undefined, port: 443, policy: tlsPolicy as never, endpoints: [endpoint], passthrough: false, inMesh: true, upstreamScheme: 'https', sni: 'reviews', protocol: 'http1' }
  const state = new TryState(call, 0)
  state.endpoint = endpoint
  return state
}

describe('transport over TLS', () => {
  it('sends the DestinationRule sni as the TLS server name, whatever Host the request carries', async () => {
    const seen: Array<string | false | null> = []
    server = createServer({ key: TEST_KEY, cert: TEST_CERT }, (request, response) => {
      seen.push((request.socket as TLSSocket).servername)
      response.end(request.headers.host)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const port = (server.address() as AddressInfo).port
    const endpoint: MeshEndpoint = { id: `127.0.0.1:${port}`, address: '127.0.0.1', port, labels: {}, locality: undefined, weight: 1 }
    pools = new PoolRegistry()
    const transport = createTransport(pools)
    for (const authority of ['other-host:8443', 'third-host']) {
      const response = await transport({ method: 'GET', scheme: 'http', authority, path: '/', headers: {}, body: null }, httpsContext(endpoint))
      expect(await readText(response.body)).toBe(authority)
    }
    expect(seen).toEqual(['reviews.example', 'reviews.example'])
  })
})
