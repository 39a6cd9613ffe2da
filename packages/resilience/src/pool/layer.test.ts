import { describe, expect, it } from 'vitest'
import { Cancellation, TypedEmitter, seededRandom } from '@meshlet/core'
import type { CallContext, MeshRequest, MeshResponse, TryHandler, TryState } from '@meshlet/core'
import { DEFAULT_CONNECTION_POOL } from '../../test/support/defaults.js'
import { FakeClock } from '../../test/support/fake-clock.js'
import { GET, executed, heldBody, request, response, scriptedUpstream, testCall, testTry } from '../../test/support/scripted.js'
import { classifierFor } from '../classify/classifier.js'
import { DeadlineScheduler } from '../deadline/scheduler.js'
import { createRetryLayer } from '../retry/layer.js'
import type { PoolEvents } from './events.js'
import { createPoolLayer } from './layer.js'
import type { PoolLimitsConfig } from './policy.js'
import { ClusterResourceRegistry } from './registry.js'
import type { ClusterLimits } from './registry.js'

function cluster(limits: Partial<PoolLimitsConfig>): ClusterLimits {
  return { key: 'outbound|9080||reviews.default.svc.cluster.local', connectionPool: { ...DEFAULT_CONNECTION_POOL, ...limits } }
}

/** An upstream whose answers the test releases one by one. */
function gatedUpstream() {
  const gates: Array<(res: MeshResponse) => void> = []
  const handler: TryHandler = () => new Promise<MeshResponse>((resolve) => gates.push(resolve))
  return { handler, gates }
}

/** A call to a cluster (or to none) and its first try. */
function tryOf(limits: ClusterLimits | undefined, cancellation?: Cancellation): TryState {
  const state = testTry(testCall({ cancellation }))
  clusters.set(state.call, limits)
  return state
}
const clusters = new WeakMap<CallContext, ClusterLimits | undefined>()

function setup() {
  const registry = new ClusterResourceRegistry(new FakeClock(0))
  const events = new TypedEmitter<PoolEvents>()
  const overflows: unknown[] = []
  events.on('overflow', (event) => overflows.push(event))
  const pool = createPoolLayer<CallContext>({ clusterOf: (call) => clusters.get(call), registry, events })
  // Run as the retry layer runs tries: through the executor, which tells the pool's observer.
  const layer = (upstream: TryHandler) => executed(pool(upstream))
  return { registry, layer, overflows }
}

describe('pool layer', () => {
  it('answers overflow at once with a local 503 marked x-envoy-overloaded, a failure that charges no endpoint', async () => {
    const { layer, overflows } = setup()
    const { handler, gates } = gatedUpstream()
    const limited = cluster({ maxConnections: 1, http1MaxPendingRequests: 1 })
    const stack = layer(handler)
    const first = stack(GET, tryOf(limited))
    const second = stack(GET, tryOf(limited))
    const refused = tryOf(limited)
    const third = await stack(GET, refused)
    expect(third.status).toBe(503)
    expect(third.headers).toMatchObject({ 'x-envoy-overloaded': 'true', 'x-meshlet-reason': 'overflow' })
    expect(refused.verdict).toEqual({ result: 'failure', endpoint: { kind: 'ignore' } })
    expect(overflows).toEqual([expect.objectContaining({ limit: 'pending', activeRequests: 1, pendingRequests: 1 })])
    expect(gates).toHaveLength(1)
    gates[0]!(response(200))
    expect((await first).status).toBe(200)
    await Promise.resolve()
    expect(gates).toHaveLength(2)
    gates[1]!(response(200))
    expect((await second).status).toBe(200)
  })

  it('refuses requests beyond http2MaxRequests without queueing them', async () => {
    const { layer, overflows } = setup()
    const { handler, gates } = gatedUpstream()
    const limited = cluster({ http2MaxRequests: 2 })
    const stack = layer(handler)
    void stack(GET, tryOf(limited))
    void stack(GET, tryOf(limited))
    const third = await stack(GET, tryOf(limited))
    expect(third.status).toBe(503)
    expect(overflows).toEqual([expect.objectContaining({ limit: 'requests' })])
    expect(gates).toHaveLength(2)
  })

  it('queues requests while every connection is busy and runs them in order', async () => {
    const { layer, registry } = setup()
    const order: number[] = []
    const { handler, gates } = gatedUpstream()
    const limited = cluster({ maxConnections: 2 })
    const stack = layer((req: MeshRequest, state: TryState) => {
      order.push(Number(req.method.slice(1)))
      return handler(req, state)
    })
    const calls = [1, 2, 3, 4].map((n) => stack(request(`M${n}`), tryOf(limited)))
    expect(registry.get(limited.key)).toMatchObject({ activeRequests: 2, pendingRequests: 2 })
    gates[1]!(response(200))
    await calls[1]
    await Promise.resolve()
    gates[0]!(response(200))
    await calls[0]
    await Promise.resolve()
    expect(order).toEqual([1, 2, 3, 4])
    gates[2]!(response(200))
    gates[3]!(response(200))
    await Promise.all(calls)
    expect(registry.get(limited.key)).toMatchObject({ activeRequests: 0, pendingRequests: 0 })
  })

  it('drops a queued request when its try is cancelled, with the cancellation’s reason', async () => {
    const { layer, registry } = setup()
    const { handler, gates } = gatedUpstream()
    const limited = cluster({ maxConnections: 1 })
    const stack = layer(handler)
    const first = stack(GET, tryOf(limited))
    const cancellation = new Cancellation()
    const queued = stack(GET, tryOf(limited, cancellation))
    cancellation.cancel('per-try-timeout')
    await expect(queued).rejects.toMatchObject({ outcome: { reason: 'per-try-timeout', requestSent: false } })
    expect(registry.get(limited.key)!.pendingRequests).toBe(0)
    gates[0]!(response(200))
    await first
    expect(gates).toHaveLength(1)
    expect(registry.get(limited.key)!.activeRequests).toBe(0)
  })

  it('frees the slot when the upstream fails', async () => {
    const { layer, registry } = setup()
    const limited = cluster({ maxConnections: 1 })
    await expect(layer(scriptedUpstream(['reset']))(GET, tryOf(limited))).rejects.toMatchObject({ outcome: { reason: 'reset' } })
    expect(registry.get(limited.key)!.activeRequests).toBe(0)
  })

  it('holds the slot until the response body is done', async () => {
    const { layer, registry } = setup()
    const limited = cluster({ maxConnections: 1 })
    const body = heldBody()
    await layer(scriptedUpstream([response(200, {}, body)]))(GET, tryOf(limited))
    expect(registry.get(limited.key)!.activeRequests).toBe(1)
    body.finish()
    expect(registry.get(limited.key)!.activeRequests).toBe(0)
  })

  it('lets the slot go when the try is cancelled while its body is still unread', async () => {
    const { layer, registry } = setup()
    const limited = cluster({ maxConnections: 1 })
    const cancellation = new Cancellation()
    await layer(scriptedUpstream([response(200, {}, heldBody())]))(GET, tryOf(limited, cancellation))
    expect(registry.get(limited.key)!.activeRequests).toBe(1)
    cancellation.cancel('timeout')
    expect(registry.get(limited.key)!.activeRequests).toBe(0)
  })

  it('forgets idle clusters a reload dropped, and keeps busy ones until their calls end', async () => {
    const { layer, registry } = setup()
    const { handler, gates } = gatedUpstream()
    const busy = cluster({ maxConnections: 1 })
    const idle = { ...cluster({}), key: 'outbound|80||idle' }
    void layer(handler)(GET, tryOf(busy))
    await layer(scriptedUpstream([200]))(GET, tryOf(idle))
    registry.retain(new Set())
    expect(registry.get(idle.key)).toBeUndefined()
    expect(registry.get(busy.key)).toBeDefined()
    gates[0]!(response(200))
  })

  it('lets calls without a cluster through', async () => {
    const { layer } = setup()
    expect((await layer(scriptedUpstream([204]))(GET, tryOf(undefined))).status).toBe(204)
  })

  it('applies new limits to a running cluster and lets waiting requests in', async () => {
    const { layer, registry } = setup()
    const { handler, gates } = gatedUpstream()
    const stack = layer(handler)
    const small = cluster({ maxConnections: 1 })
    void stack(GET, tryOf(small))
    void stack(GET, tryOf(small))
    expect(gates).toHaveLength(1)
    void stack(GET, tryOf({ ...small, connectionPool: { ...small.connectionPool, maxConnections: 3 } }))
    await Promise.resolve()
    expect(gates).toHaveLength(3)
    expect(registry.size).toBe(1)
  })

  it('is never retried: an overflow reaches the caller after one try', async () => {
    const clock = new FakeClock(0)
    const registry = new ClusterResourceRegistry(clock)
    const limited = cluster({ maxConnections: 1, http1MaxPendingRequests: 1 })
    const retryPolicy = { attempts: 5, perTryTimeoutMs: undefined, retryOn: ['5xx', 'gateway-error', 'reset', 'retriable-status-codes'], retriableStatusCodes: [503], avoidPreviousHosts: true, backoffBaseMs: 25, backoffMaxMs: 250 }
    const retry = createRetryLayer<CallContext>({ policyOf: () => retryPolicy, classifierOf: () => classifierFor(retryPolicy, undefined), clock, random: seededRandom(1), scheduler: new DeadlineScheduler(clock) })
    const pool = createPoolLayer<CallContext>({ clusterOf: () => limited, registry })
    const { handler } = gatedUpstream()
    let upstreamCalls = 0
    const counted: TryHandler = (req, state) => {
      upstreamCalls++
      return handler(req, state)
    }
    const call = retry(pool(counted))
    void call(GET, testCall({ clock }))
    void call(GET, testCall({ clock }))
    const overflowed = await call(GET, testCall({ clock }))
    expect(overflowed.status).toBe(503)
    expect(overflowed.localReason).toBe('overflow')
    expect(upstreamCalls).toBe(1)
  })
})
