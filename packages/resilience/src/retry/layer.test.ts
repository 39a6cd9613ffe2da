import { describe, expect, it } from 'vitest'
import { Cancellation, TypedEmitter, UpstreamFailureError, seededRandom } from '@meshlet/core'
import type { CallContext, MeshRequest, TryHandler, TryState } from '@meshlet/core'
import { DEFAULT_CONNECTION_POOL, ISTIO_DEFAULT_RETRY_POLICY } from '../../test/support/defaults.js'
import { FakeClock } from '../../test/support/fake-clock.js'
import { GET, POST, chunks, endpoint, heldBody, request, response, scriptedUpstream, testCall } from '../../test/support/scripted.js'
import { classifierFor } from '../classify/classifier.js'
import { DeadlineScheduler } from '../deadline/scheduler.js'
import { ClusterResourceRegistry } from '../pool/registry.js'
import type { ClusterLimits } from '../pool/registry.js'
import type { RetryEvents } from './events.js'
import { createRetryLayer } from './layer.js'
import type { RetryPolicyConfig } from './policy.js'

const policy = (overrides: Partial<RetryPolicyConfig> = {}): RetryPolicyConfig => ({
  attempts: 2,
  perTryTimeoutMs: undefined,
  retryOn: ['5xx'],
  retriableStatusCodes: [],
  avoidPreviousHosts: true,
  backoffBaseMs: 25,
  backoffMaxMs: 250,
  ...overrides,
})

function setup(retryPolicy: RetryPolicyConfig, options: { replayLimitBytes?: number; registry?: ClusterResourceRegistry; cluster?: ClusterLimits } = {}) {
  const clock = new FakeClock(0)
  const events = new TypedEmitter<RetryEvents>()
  const seen: Array<{ event: string; detail: unknown }> = []
  events.on('retry', (detail) => seen.push({ event: 'retry', detail }))
  events.on('giveUp', (detail) => seen.push({ event: 'giveUp', detail }))
  const retry = createRetryLayer<CallContext>({
    policyOf: () => retryPolicy,
    classifierOf: () => classifierFor(retryPolicy, undefined),
    clusterOf: () => options.cluster,
    registry: options.registry,
    clock,
    random: seededRandom(1),
    scheduler: new DeadlineScheduler(clock),
    replayLimitBytes: options.replayLimitBytes,
    events,
  })
  const layer = (upstream: TryHandler) => retry(upstream)
  return { clock, layer, seen, call: (extra: Parameters<typeof testCall>[0] = {}) => testCall({ clock, ...extra }) }
}

/** Runs a call while moving the fake clock on, so backoffs elapse. */
async function run<T>(clock: FakeClock, call: Promise<T>, ms = 10_000): Promise<T> {
  let settled = false
  void call.then(() => (settled = true), () => (settled = true))
  for (let i = 0; i < 100 && !settled; i++) await clock.advance(ms / 100)
  return call
}

describe('retry layer', () => {
  it('retries a 503 and returns the answer of the try that succeeded', async () => {
    const { clock, layer, seen, call } = setup(policy())
    const upstream = scriptedUpstream([503, 200])
    const res = await run(clock, layer(upstream)(GET, call()))
    expect(res.status).toBe(200)
    expect(upstream.calls.map((c) => c.state.attempt)).toEqual([0, 1])
    expect(seen).toEqual([{ event: 'retry', detail: expect.objectContaining({ retry: 1, outcome: '503', method: 'GET' }) }])
  })

  it('gives every try a state of its own and leaves the last one on the call', async () => {
    const { clock, layer, call } = setup(policy())
    const upstream = scriptedUpstream([503, 503, 200])
    const context = call()
    await run(clock, layer(upstream)(GET, context))
    const states = upstream.calls.map((c) => c.state)
    expect(new Set(states).size).toBe(3)
    expect(states.map((state) => state.verdict?.result)).toEqual(['retryable-failure', 'retryable-failure', 'success'])
    expect(states.every((state) => state.call === context)).toBe(true)
    expect(context.lastTry).toBe(states[2])
    expect(context.tries).toBe(3)
  })

  it('releases the body of an answer it retries, and returns the last answer untouched', async () => {
    const { clock, layer, call } = setup(policy({ attempts: 1 }))
    const firstBody = heldBody()
    const lastBody = heldBody()
    const last = response(503, {}, lastBody)
    const upstream = scriptedUpstream([response(503, {}, firstBody), last])
    const res = await run(clock, layer(upstream)(GET, call()))
    expect(firstBody.destroyed).toBe(true)
    expect(res.body).toBe(lastBody)
    expect(lastBody.destroyed).toBe(false)
  })

  it('stops after the configured attempts and says why', async () => {
    const { clock, layer, seen, call } = setup(policy({ attempts: 2 }))
    const upstream = scriptedUpstream([500])
    const res = await run(clock, layer(upstream)(GET, call()))
    expect(res.status).toBe(500)
    expect(upstream.calls).toHaveLength(3)
    expect(seen.at(-1)).toEqual({ event: 'giveUp', detail: expect.objectContaining({ reason: 'attempts-exhausted', tries: 3, outcome: '500' }) })
  })

  it("under Istio's default policy sends a POST answered 503 once", async () => {
    const { clock, layer, seen, call } = setup(ISTIO_DEFAULT_RETRY_POLICY)
    const upstream = scriptedUpstream([503, 200])
    const res = await run(clock, layer(upstream)(POST, call()))
    expect(res.status).toBe(503)
    expect(upstream.calls).toHaveLength(1)
    expect(seen).toEqual([])
  })

  it("under Istio's default policy retries a POST whose connection failed twice, and no more", async () => {
    const { clock, layer, call } = setup(ISTIO_DEFAULT_RETRY_POLICY)
    const upstream = scriptedUpstream(['connect-failure', 'connect-failure', 200])
    const res = await run(clock, layer(upstream)(POST, call()))
    expect(res.status).toBe(200)
    expect(upstream.calls.map((c) => c.body)).toEqual([undefined, undefined, '{"amount":10}'])

    const failing = scriptedUpstream(['connect-failure'])
    await expect(run(clock, layer(failing)(POST, call()))).rejects.toBeInstanceOf(UpstreamFailureError)
    expect(failing.calls).toHaveLength(3)
  })

  it('does not retry a POST reset after it was sent under the default policy', async () => {
    const { clock, layer, call } = setup(ISTIO_DEFAULT_RETRY_POLICY)
    const upstream = scriptedUpstream(['reset', 200])
    await expect(run(clock, layer(upstream)(POST, call()))).rejects.toMatchObject({ outcome: { reason: 'reset' } })
    expect(upstream.calls).toHaveLength(1)
  })

  it('waits a jittered backoff before retrying', async () => {
    const { clock, layer, seen, call } = setup(policy({ attempts: 1, backoffBaseMs: 100, backoffMaxMs: 1000 }))
    const upstream = scriptedUpstream([503, 200])
    const pending = layer(upstream)(GET, call())
    await clock.advance(0)
    const backoffMs = (seen[0]!.detail as { backoffMs: number }).backoffMs
    expect(backoffMs).toBeGreaterThanOrEqual(0)
    expect(backoffMs).toBeLessThan(100)
    if (backoffMs > 0) {
      await clock.advance(backoffMs - 1)
      expect(upstream.calls).toHaveLength(1)
    }
    await clock.advance(1)
    expect(upstream.calls).toHaveLength(2)
    expect((await pending).status).toBe(200)
  })

  it('ends the call as a timeout when too little time would be left for a retry: the deadline is the reason to stop', async () => {
    const { clock, layer, seen, call } = setup(policy({ backoffBaseMs: 25 }))
    const upstream = scriptedUpstream([503, 200])
    const failure = await run(clock, layer(upstream)(GET, call({ deadlineMs: clock.now() + 3 }))).catch((error: unknown) => error)
    expect(failure).toMatchObject({ outcome: { kind: 'failure', reason: 'timeout' } })
    expect(upstream.calls).toHaveLength(1)
    expect(seen).toEqual([{ event: 'giveUp', detail: expect.objectContaining({ reason: 'deadline' }) }])
  })

  it('sends a body larger than the replay limit once and says so', async () => {
    const { clock, layer, seen, call } = setup(policy(), { replayLimitBytes: 4 })
    const upstream = scriptedUpstream([503, 200])
    const res = await run(clock, layer(upstream)(POST, call()))
    expect(res.status).toBe(503)
    expect(upstream.calls).toHaveLength(1)
    expect(seen).toEqual([{ event: 'giveUp', detail: expect.objectContaining({ reason: 'body-too-large', method: 'POST' }) }])
  })

  it('replays a streamed body on the retry', async () => {
    const { clock, layer, call } = setup(policy({ retryOn: ['reset'] }))
    const upstream = scriptedUpstream(['reset', 200])
    const res = await run(clock, layer(upstream)(request('PUT', chunks('part1-', 'part2')), call()))
    expect(res.status).toBe(200)
    expect(upstream.calls.map((c) => c.body)).toEqual(['part1-part2', 'part1-part2'])
  })

  it('gives each try the endpoints the earlier ones went to, so the balancer can pick another', async () => {
    const { clock, layer, call } = setup(policy({ attempts: 2 }))
    const endpoints = [endpoint('10.0.0.1'), endpoint('10.0.0.2'), endpoint('10.0.0.3')]
    const upstream = scriptedUpstream([503, 503, 200])
    const balancer = (req: MeshRequest, state: TryState) => {
      // The balancer's part: take the first endpoint not tried yet.
      state.endpoint = endpoints.find((candidate) => !state.tried.some((tried) => tried.id === candidate.id))
      return upstream(req, state)
    }
    await run(clock, layer(balancer)(GET, call()))
    expect(upstream.calls.map((c) => c.state.endpoint?.address)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3'])
    expect(upstream.calls.map((c) => c.state.tried.map((tried) => tried.address))).toEqual([[], ['10.0.0.1'], ['10.0.0.1', '10.0.0.2']])
  })

  it('refuses a retry when the cluster retry budget has no room', async () => {
    const registry = new ClusterResourceRegistry(new FakeClock(0))
    const cluster = { key: 'outbound|80||reviews', connectionPool: { ...DEFAULT_CONNECTION_POOL, maxRetries: 1 } }
    const { clock, layer, seen, call } = setup(policy({ attempts: 3, backoffBaseMs: 1000, backoffMaxMs: 1000 }), { registry, cluster })
    const upstream = scriptedUpstream([503])
    const first = layer(upstream)(GET, call())
    const second = layer(upstream)(GET, call())
    const results = await run(clock, Promise.all([first, second]), 20_000)
    expect(results.map((r) => r.status)).toEqual([503, 503])
    expect(seen.filter((e) => e.event === 'giveUp').map((e) => (e.detail as { reason: string }).reason)).toContain('budget-exhausted')
    expect(registry.get(cluster.key)!.activeRetries).toBe(0)
  })

  it('ends the call with the reason its cancellation gives when it fires during the backoff', async () => {
    const { clock, layer, seen, call } = setup(policy({ backoffBaseMs: 1000, backoffMaxMs: 1000 }))
    const cancellation = new Cancellation()
    const firstBody = heldBody()
    const upstream = scriptedUpstream([response(503, {}, firstBody), 200])
    const pending = layer(upstream)(GET, call({ cancellation })).catch((error: unknown) => error)
    await clock.advance(0)
    cancellation.cancel('timeout')
    expect(await pending).toMatchObject({ outcome: { reason: 'timeout' } })
    expect(upstream.calls).toHaveLength(1)
    expect(firstBody.destroyed).toBe(true)
    expect(seen.at(-1)).toEqual({ event: 'giveUp', detail: expect.objectContaining({ reason: 'cancelled' }) })
  })

  it('rethrows an error that is not an upstream failure without retrying', async () => {
    const { clock, layer, call } = setup(policy({ retryOn: ['5xx', 'reset'] }))
    let calls = 0
    const bug = new TypeError('bug')
    const failing: TryHandler = async () => {
      calls++
      throw bug
    }
    await expect(run(clock, layer(failing)(GET, call()))).rejects.toBe(bug)
    expect(calls).toBe(1)
  })

  it('makes one try when the policy has no attempts', async () => {
    const { layer, call } = setup(policy({ attempts: 0 }))
    const upstream = scriptedUpstream([503, 200])
    const context = call()
    expect((await layer(upstream)(GET, context)).status).toBe(503)
    expect(upstream.calls).toHaveLength(1)
    expect(upstream.calls[0]!.state.call).toBe(context)
  })
})
