import { afterEach, describe, expect, it } from 'vitest'
import { CallContext, Cancellation, TryState, seededRandom, systemClock } from '@meshlet/core'
import type { MeshEndpoint, MeshRequest } from '@meshlet/core'
import { readText, startUpstream } from '@meshlet/testing'
import type { Upstream } from '@meshlet/testing'
import type { MeshCallContext, MeshTryState } from '../call-context.js'
import { PoolRegistry } from './pools.js'
import { createTransport } from './transport.js'

let server: Upstream | undefined
let pools: PoolRegistry | undefined
afterEach(async () => {
  await pools?.destroy()
  await server?.close()
  server = undefined
  pools = undefined
})

const policy = {
  loadBalancer: { algorithm: 'ROUND_ROBIN', consistentHash: undefined, locality: undefined, warmup: undefined },
  connectionPool: { maxConnections: 0, connectTimeoutMs: 10_000, tcpIdleTimeoutMs: undefined, maxConnectionDurationMs: undefined, http1MaxPendingRequests: 0, http2MaxRequests: 0, maxRequestsPerConnection: 0, maxRetries: 0, httpIdleTimeoutMs: undefined },
  outlierDetection: undefined,
  tls: undefined,
  retryBudget: undefined,
  extensions: {},
} as const

/** A try to `endpoint`, as the balancer leaves it for the transport. */
function context(endpoint: MeshEndpoint, cancellation?: Cancellation): MeshTryState {
  const call: MeshCallContext = new CallContext({ snapshot: undefined as never, clock: systemClock, random: seededRandom(1), inbound: undefined, meshOnlyHeaders: [], cancellation })
  call.target = { key: 'outbound|80||svc', host: 'svc', subset: undefined, port: 80, policy: policy as never, endpoints: [endpoint], passthrough: false, inMesh: true, upstreamScheme: 'http', sni: undefined, protocol: 'http1' }
  const state = new TryState(call, 0)
  state.endpoint = endpoint
  return state
}

function request(overrides: Partial<MeshRequest> = {}): MeshRequest {
  return { method: 'GET', scheme: 'http', authority: 'svc', path: '/', headers: {}, body: null, ...overrides }
}

const endpointOf = (port: number): MeshEndpoint => ({ id: `127.0.0.1:${port}`, address: '127.0.0.1', port, labels: {}, locality: undefined, weight: 1 })

describe('transport', () => {
  it('reuses keep-alive connections rather than opening one per request', async () => {
    server = await startUpstream()
    pools = new PoolRegistry()
    const send = createTransport(pools)
    for (let i = 0; i < 10; i++) await readText((await send(request(), context(endpointOf(server.port)))).body)
    // undici's pool opens a second connection while the first finishes its first response, then reuses both.
    expect(server.connectionCount).toBeLessThanOrEqual(2)
    expect(pools.size).toBe(1)
  })

  it('rejects with an UpstreamFailureError naming a refused connection, before any byte was sent', async () => {
    server = await startUpstream()
    const port = server.port
    await server.close()
    server = undefined
    pools = new PoolRegistry()
    await expect(createTransport(pools)(request(), context(endpointOf(port)))).rejects.toMatchObject({
      code: 'MESHLET_ERR_UPSTREAM_FAILURE',
      outcome: { kind: 'failure', reason: 'connect-failure', requestSent: false },
    })
  })

  it('reports a reset after the request was sent as reset', async () => {
    server = await startUpstream({ answers: [{ reset: 'before-headers' }] })
    pools = new PoolRegistry()
    await expect(createTransport(pools)(request(), context(endpointOf(server.port)))).rejects.toMatchObject({ outcome: { reason: 'reset', requestSent: true } })
  })

  it('returns the response with its headers as soon as they arrive, the body still streaming', async () => {
    let release!: () => void
    server = await startUpstream({
      fallback: async (_request, response) => {
        response.writeHead(201, { 'x-one': 'a', 'set-cookie': ['a=1', 'b=2'] })
        response.write('first;')
        await new Promise<void>((resolve) => (release = resolve))
        response.end('second')
      },
    })
    pools = new PoolRegistry()
    const response = await createTransport(pools)(request(), context(endpointOf(server.port)))
    expect(response.status).toBe(201)
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    const text = readText(response.body)
    release()
    expect(await text).toBe('first;second')
  })

  it('rejects a request undici cannot send as an invalid request, not an upstream failure', async () => {
    server = await startUpstream()
    pools = new PoolRegistry()
    await expect(createTransport(pools)(request({ headers: { 'x-bad': 'a\r\nb' } }), context(endpointOf(server.port)))).rejects.toMatchObject({ code: 'MESHLET_ERR_INVALID_REQUEST' })
  })

  it('stops every try that follows a cancellation token when it fires', async () => {
    server = await startUpstream({ fallback: { hang: true } })
    pools = new PoolRegistry()
    const send = createTransport(pools)
    const token = new Cancellation()
    const endpoint = endpointOf(server.port)
    const tries = [send(request(), context(endpoint, token)), send(request(), context(endpoint, token))]
    await server.waitForRequests(2)
    token.cancel('per-try-timeout')
    const results = await Promise.allSettled(tries)
    expect(results.map((result) => result.status === 'rejected' && (result.reason as { outcome?: { reason: string } }).outcome?.reason)).toEqual(['per-try-timeout', 'per-try-timeout'])
  })

  it('ends a try at once when its cancellation fires while it still waits for a connection', async () => {
    pools = new PoolRegistry()
    const token = new Cancellation()
    // A non-routable address: the connection attempt hangs until undici's connect timeout.
    const unreachable: MeshEndpoint = { id: '10.255.255.1:81', address: '10.255.255.1', port: 81, labels: {}, locality: undefined, weight: 1 }
    const pending = createTransport(pools)(request(), context(unreachable, token))
    token.cancel('timeout')
    await expect(pending).rejects.toMatchObject({ outcome: { reason: 'timeout', requestSent: false } })
  })

  it("tells the upstream the time the try has left, as Envoy's router does", async () => {
    server = await startUpstream()
    pools = new PoolRegistry()
    const state = context(endpointOf(server.port))
    state.deadlineMs = systemClock.now() + 250
    await readText((await createTransport(pools)(request(), state)).body)
    const sent = Number(server.requests[0]!.headers['x-envoy-expected-rq-timeout-ms'])
    expect(sent).toBeGreaterThan(200)
    expect(sent).toBeLessThanOrEqual(250)
    await readText((await createTransport(pools)(request(), context(endpointOf(server.port)))).body)
    expect(server.requests[1]!.headers['x-envoy-expected-rq-timeout-ms']).toBeUndefined()
  })
})
