import { afterEach, describe, expect, it } from 'vitest'
import { seededRandom, systemClock } from '@meshlet/core'
import type { MeshEndpoint, MeshRequest } from '@meshlet/core'
import { Cancellation } from '@meshlet/resilience'
import { readText, startUpstream } from '@meshlet/testing'
import type { Upstream } from '@meshlet/testing'
import type { MeshCallContext } from '../call-context.js'
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

function context(endpoint: MeshEndpoint): MeshCallContext {
  return {
    snapshot: undefined as never,
    clock: systemClock,
    random: seededRandom(1),
    startedAtMs: 0,
    deadlineMs: undefined,
    attempt: 0,
    inbound: undefined,
    meshOnlyHeaders: [],
    route: undefined,
    target: { key: 'outbound|80||svc', host: 'svc', subset: undefined, port: 80, policy: policy as never, endpoints: [endpoint], passthrough: false, inMesh: true, upstreamScheme: 'http', sni: undefined },
    endpoint,
    triedEndpoints: [],
    shadow: false,
    record: undefined,
    cancellation: undefined,
    tried: undefined,
  }
}

function request(overrides: Partial<MeshRequest> = {}): MeshRequest {
  return { method: 'GET', scheme: 'http', authority: 'svc', path: '/', headers: {}, body: null, signal: undefined, ...overrides }
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
    const tries = [send(request(), { ...context(endpoint), cancellation: token }), send(request(), { ...context(endpoint), cancellation: token })]
    await server.waitForRequests(2)
    token.cancel('cancelled')
    const results = await Promise.allSettled(tries)
    expect(results.map((result) => result.status === 'rejected' && (result.reason as { outcome?: { reason: string } }).outcome?.reason)).toEqual(['cancelled', 'cancelled'])
  })
})
