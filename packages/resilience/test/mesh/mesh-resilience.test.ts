import { describe, expect, it } from 'vitest'
import { TypedEmitter, UpstreamFailureError, bytesBody, compose, seededRandom } from '@meshlet/core'
import type { CallTarget, FailureReason, Layer, MeshEndpoint, MeshRequest, MeshResponse } from '@meshlet/core'
import { FakeClock } from '../support/fake-clock.js'
import { createMeshResilience } from '../../src/mesh/resilience.js'
import type { MeshPolicyView, MeshRouteView, ResilienceCallContext, ResilienceEvents } from '../../src/mesh/resilience.js'
import { DEFAULT_CONNECTION_POOL } from '../../src/pool/policy.js'
import { ISTIO_DEFAULT_RETRY_POLICY } from '../../src/retry/policy.js'
import type { RetryPolicyConfig } from '../../src/retry/policy.js'
import { DEFAULT_CIRCUIT_BREAKER } from '../../src/breaker/policy.js'

const endpoints: MeshEndpoint[] = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((address) => ({ id: `${address}:9080`, address, port: 9080, labels: {}, locality: undefined, weight: 1 }))

function policy(overrides: Partial<MeshPolicyView> = {}): MeshPolicyView {
  return { connectionPool: DEFAULT_CONNECTION_POOL, outlierDetection: undefined, retryBudget: undefined, extensions: {}, ...overrides }
}

function target(policyView: MeshPolicyView): CallTarget<MeshPolicyView> {
  return { key: 'outbound|9080||reviews.default.svc.cluster.local', host: 'reviews.default.svc.cluster.local', subset: undefined, port: 9080, policy: policyView, endpoints, passthrough: false, upstreamScheme: 'http', sni: undefined }
}

function route(retries: Partial<RetryPolicyConfig> = {}, timeoutMs?: number): MeshRouteView {
  return { timeoutMs, retries: { ...ISTIO_DEFAULT_RETRY_POLICY, ...retries } }
}

function context(clock: FakeClock, routeView: MeshRouteView | undefined, policyView = policy()): ResilienceCallContext {
  return { snapshot: undefined, clock, random: seededRandom(1), startedAtMs: clock.now(), deadlineMs: undefined, attempt: 0, inbound: undefined, route: routeView, target: target(policyView), endpoint: undefined, triedEndpoints: [], shadow: false }
}

const request = (overrides: Partial<MeshRequest> = {}): MeshRequest => ({ method: 'GET', scheme: 'http', authority: 'reviews:9080', path: '/reviews/1', headers: {}, body: null, signal: undefined, ...overrides })

/** A balancer that skips ejected endpoints and, on retries, endpoints already tried. */
function balancer(isEjected: (cluster: string, endpoint: string) => boolean): Layer<MeshRequest, MeshResponse, ResilienceCallContext> {
  return (next) => (req, ctx) => {
    const candidates = ctx.target!.endpoints.filter((e) => !isEjected(ctx.target!.key, e.id))
    const endpoint = candidates.find((e) => !ctx.triedEndpoints.some((t) => t.id === e.id)) ?? candidates[0]
    if (endpoint === undefined) return Promise.resolve({ status: 503, headers: { 'x-meshlet-reason': 'no-healthy-upstream' }, body: null, localReason: 'no-healthy-upstream' })
    return next(req, { ...ctx, endpoint })
  }
}

type Answer = number | FailureReason | 'hang'

/** A transport answering by endpoint from a script, recording what it was sent. */
function transport(script: Record<string, Answer[]>, fallback: Answer = 200) {
  const sent: Array<{ endpoint: string; request: MeshRequest; context: ResilienceCallContext }> = []
  const handler = (req: MeshRequest, ctx: ResilienceCallContext): Promise<MeshResponse> => {
    const endpoint = ctx.endpoint!.id
    sent.push({ endpoint, request: req, context: ctx })
    const answer = script[endpoint]?.shift() ?? fallback
    if (answer === 'hang') {
      return new Promise((_, reject) => req.signal?.addEventListener('abort', () => reject(new UpstreamFailureError('cancelled', true, req.signal!.reason))))
    }
    if (typeof answer === 'number') return Promise.resolve({ status: answer, headers: {}, body: bytesBody('ok'), localReason: undefined })
    return Promise.reject(new UpstreamFailureError(answer, answer === 'connect-failure', undefined))
  }
  return { handler, sent }
}

function meshStack(options: { events?: TypedEmitter<ResilienceEvents> } = {}) {
  const clock = new FakeClock(0)
  const resilience = createMeshResilience<ResilienceCallContext>({ clock, random: seededRandom(3), events: options.events, wallClock: () => 1_000_000 })
  const { layers } = resilience
  const build = (terminal: (req: MeshRequest, ctx: ResilienceCallContext) => Promise<MeshResponse>) =>
    compose(layers.timeout, layers.retry, layers.perTryTimeout, layers.poolLimits, balancer(resilience.isEjected), layers.outlierDetection)(terminal)
  return { clock, resilience, build }
}

async function settleWith<T>(clock: FakeClock, call: Promise<T>, ms = 5000): Promise<T> {
  let done = false
  void call.then(() => (done = true), () => (done = true))
  for (let i = 0; i < 50 && !done; i++) await clock.advance(ms / 50)
  return call
}

describe('mesh resilience (core MeshRequest/MeshResponse/CallContext)', () => {
  it("retries a connect failure on another endpoint under Istio's default policy when the host has no VirtualService", async () => {
    const { clock, build } = meshStack()
    const { handler, sent } = transport({ '10.0.0.1:9080': ['connect-failure'] })
    const res = await settleWith(clock, build(handler)(request({ method: 'POST', body: 'x' }), context(clock, undefined)))
    expect(res.status).toBe(200)
    expect(sent.map((s) => s.endpoint)).toEqual(['10.0.0.1:9080', '10.0.0.2:9080'])
    expect(sent[1]!.context.attempt).toBe(1)
    expect(sent[1]!.context.triedEndpoints.map((e) => e.id)).toEqual(['10.0.0.1:9080'])
  })

  it('does not retry a POST answered 503 by default', async () => {
    const { clock, build } = meshStack()
    const { handler, sent } = transport({}, 503)
    const res = await settleWith(clock, build(handler)(request({ method: 'POST' }), context(clock, route())))
    expect(res.status).toBe(503)
    expect(sent).toHaveLength(1)
  })

  it('answers 504 timeout when the route timeout passes and aborts the try through its signal', async () => {
    const { clock, build } = meshStack()
    const { handler, sent } = transport({}, 'hang')
    const call = build(handler)(request(), context(clock, route({ attempts: 0 }, 250)))
    await clock.advance(250)
    const res = await call
    expect(res.status).toBe(504)
    expect(res.headers['x-meshlet-reason']).toBe('timeout')
    expect(sent[0]!.request.signal!.aborted).toBe(true)
    expect((sent[0]!.request.signal!.reason as DOMException).name).toBe('TimeoutError')
  })

  it('tells each try its deadline in x-envoy-expected-rq-timeout-ms, and grpc-timeout for gRPC', async () => {
    const { clock, build } = meshStack()
    const { handler, sent } = transport({}, 200)
    await build(handler)(request({ headers: { 'content-type': 'application/grpc' } }), context(clock, route({ perTryTimeoutMs: 100 }, 1000)))
    expect(sent[0]!.request.headers).toMatchObject({ 'x-envoy-expected-rq-timeout-ms': '100', 'grpc-timeout': '100m' })
  })

  it('stops retrying when the caller aborts during the backoff', async () => {
    const { clock, build } = meshStack()
    const { handler, sent } = transport({}, 'connect-failure')
    const caller = new AbortController()
    const call = build(handler)(request({ signal: caller.signal }), context(clock, route({ backoffBaseMs: 10_000, backoffMaxMs: 10_000 })))
    await clock.advance(0)
    caller.abort()
    await expect(call).rejects.toMatchObject({ outcome: { reason: 'connect-failure' } })
    await clock.advance(60_000)
    expect(sent).toHaveLength(1)
  })

  it('overflows at once with 503 x-envoy-overloaded from the compiled connectionPool', async () => {
    const { clock, build, resilience } = meshStack()
    const { handler } = transport({}, 'hang')
    const limited = policy({ connectionPool: { ...DEFAULT_CONNECTION_POOL, maxConnections: 1, http1MaxPendingRequests: 1 } })
    const stack = build(handler)
    void stack(request(), context(clock, route(), limited)).catch(() => {})
    void stack(request(), context(clock, route(), limited)).catch(() => {})
    const res = await stack(request(), context(clock, route(), limited))
    expect(res.status).toBe(503)
    expect(res.headers).toMatchObject({ 'x-envoy-overloaded': 'true', 'x-meshlet-reason': 'overflow' })
    const resources = resilience.resources.get('outbound|9080||reviews.default.svc.cluster.local')!
    expect([resources.activeRequests, resources.pendingRequests]).toEqual([1, 1])
  })

  it('holds the pool slot until the response body has been read', async () => {
    const { clock, build, resilience } = meshStack()
    const { handler } = transport({}, 200)
    const limited = policy({ connectionPool: { ...DEFAULT_CONNECTION_POOL, maxConnections: 1 } })
    const res = await build(handler)(request(), context(clock, route(), limited))
    const resources = resilience.resources.get('outbound|9080||reviews.default.svc.cluster.local')!
    expect(resources.activeRequests).toBe(1)
    const chunks: string[] = []
    for await (const chunk of res.body!) chunks.push(Buffer.from(chunk).toString())
    expect(chunks).toEqual(['ok'])
    expect(resources.activeRequests).toBe(0)
  })

  it('ejects an endpoint after consecutive 5xx and the balancer stops picking it', async () => {
    const events = new TypedEmitter<ResilienceEvents>()
    const ejected: string[] = []
    events.on('endpointEjected', (e) => ejected.push(`${e.endpoint} ${e.reason}`))
    const { clock, build, resilience } = meshStack({ events })
    const outlierDetection = { consecutive5xxErrors: 2, consecutiveGatewayErrors: 0, consecutiveLocalOriginFailures: 5, splitExternalLocalOriginErrors: false, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50, minHealthPercent: 0, httpErrorCodes: undefined }
    const { handler, sent } = transport({ '10.0.0.1:9080': [500, 500] }, 200)
    const stack = build(handler)
    const ctx = () => context(clock, route({ attempts: 0 }), policy({ outlierDetection }))
    await stack(request(), ctx())
    await stack(request(), ctx())
    expect(ejected).toEqual(['10.0.0.1:9080 consecutive-5xx'])
    expect(resilience.isEjected('outbound|9080||reviews.default.svc.cluster.local', '10.0.0.1:9080')).toBe(true)
    await stack(request(), ctx())
    expect(sent.at(-1)!.endpoint).toBe('10.0.0.2:9080')
    await clock.advance(30_000)
    expect(resilience.isEjected('outbound|9080||reviews.default.svc.cluster.local', '10.0.0.1:9080')).toBe(false)
  })

  it('opens the meshlet.io/circuit-breaker breaker and answers 503 circuit-open', async () => {
    const { clock, build } = meshStack()
    const { handler, sent } = transport({}, 503)
    const guarded = policy({ extensions: { circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, volumeThreshold: 2 } } })
    const stack = build(handler)
    for (let i = 0; i < 2; i++) expect((await stack(request(), context(clock, route({ attempts: 0 }), guarded))).localReason).toBeUndefined()
    const res = await stack(request(), context(clock, route({ attempts: 0 }), guarded))
    expect(res.status).toBe(503)
    expect(res.localReason).toBe('circuit-open')
    expect(sent).toHaveLength(2)
  })

  it('exports and restores its state', async () => {
    const first = meshStack()
    const outlierDetection = { consecutive5xxErrors: 1, consecutiveGatewayErrors: 0, consecutiveLocalOriginFailures: 5, splitExternalLocalOriginErrors: false, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 100, minHealthPercent: 0, httpErrorCodes: undefined }
    const { handler } = transport({}, 500)
    await first.build(handler)(request(), context(first.clock, route({ attempts: 0 }), policy({ outlierDetection })))
    const saved = first.resilience.snapshotState()
    expect(Object.keys(saved.outliers)).toEqual(['outbound|9080||reviews.default.svc.cluster.local'])
    const second = meshStack()
    second.resilience.restoreState(JSON.parse(JSON.stringify(saved)))
    const { handler: healthy, sent } = transport({}, 200)
    await second.build(healthy)(request(), context(second.clock, route({ attempts: 0 }), policy({ outlierDetection })))
    expect(sent[0]!.endpoint).toBe('10.0.0.2:9080')
    first.resilience.close()
    second.resilience.close()
  })
})
