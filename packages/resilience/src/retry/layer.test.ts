import { describe, expect, it } from 'vitest'
import { TypedEmitter, seededRandom } from '@meshlet/core'
import { FakeClock } from '../../test/support/fake-clock.js'
import { Cancellation, TestFailure, chunks, response, scriptedUpstream, testAdapter } from '../../test/support/scripted.js'
import type { TestContext, TestRequest } from '../../test/support/scripted.js'
import { DeadlineScheduler } from '../deadline/scheduler.js'
import { DEFAULT_CONNECTION_POOL } from '../pool/policy.js'
import { ClusterResourceRegistry } from '../pool/registry.js'
import type { RetryEvents } from './events.js'
import { createRetryLayer } from './layer.js'
import { ISTIO_DEFAULT_RETRY_POLICY } from './policy.js'
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

function setup(retryPolicy: RetryPolicyConfig, options: { replayLimitBytes?: number; registry?: ClusterResourceRegistry } = {}) {
  const clock = new FakeClock(0)
  const events = new TypedEmitter<RetryEvents>()
  const seen: Array<{ event: string; detail: unknown }> = []
  events.on('retry', (detail) => seen.push({ event: 'retry', detail }))
  events.on('giveUp', (detail) => seen.push({ event: 'giveUp', detail }))
  const layer = createRetryLayer<TestRequest, ReturnType<typeof response>, TestContext>({
    adapter: testAdapter(),
    policyOf: () => retryPolicy,
    clusterOf: (_, context) => context.cluster,
    registry: options.registry,
    clock,
    random: seededRandom(1),
    scheduler: new DeadlineScheduler(clock),
    replayLimitBytes: options.replayLimitBytes,
    events,
  })
  return { clock, layer, seen }
}

/** Runs a call while moving the fake clock on, so backoffs elapse. */
async function run<T>(clock: FakeClock, call: Promise<T>, ms = 10_000): Promise<T> {
  let settled = false
  void call.then(() => (settled = true), () => (settled = true))
  for (let i = 0; i < 100 && !settled; i++) await clock.advance(ms / 100)
  return call
}

const GET: TestRequest = { method: 'GET', body: null }
const POST: TestRequest = { method: 'POST', body: '{"amount":10}' }

describe('retry layer', () => {
  it('retries a 503 and returns the answer of the try that succeeded', async () => {
    const { clock, layer, seen } = setup(policy())
    const upstream = scriptedUpstream([503, 200])
    const res = await run(clock, layer(upstream)(GET, {}))
    expect(res.status).toBe(200)
    expect(upstream.calls.map((call) => call.context.attempt)).toEqual([0, 1])
    expect(seen).toEqual([{ event: 'retry', detail: expect.objectContaining({ retry: 1, outcome: '503', method: 'GET' }) }])
  })

  it('releases the body of an answer it retries, and returns the last answer untouched', async () => {
    const { clock, layer } = setup(policy({ attempts: 1 }))
    const first = response(503)
    const last = response(503)
    const upstream = scriptedUpstream([first, last])
    const res = await run(clock, layer(async (request, context) => {
      await upstream(request, context)
      return upstream.calls.length === 1 ? first : last
    })(GET, {}))
    expect(first.discarded).toBe(true)
    expect(res).toBe(last)
    expect(last.discarded).toBeUndefined()
  })

  it('stops after the configured attempts and says why', async () => {
    const { clock, layer, seen } = setup(policy({ attempts: 2 }))
    const upstream = scriptedUpstream([500])
    const res = await run(clock, layer(upstream)(GET, {}))
    expect(res.status).toBe(500)
    expect(upstream.calls).toHaveLength(3)
    expect(seen.at(-1)).toEqual({ event: 'giveUp', detail: expect.objectContaining({ reason: 'attempts-exhausted', tries: 3, outcome: '500' }) })
  })

  it("under Istio's default policy sends a POST answered 503 once", async () => {
    const { clock, layer, seen } = setup(ISTIO_DEFAULT_RETRY_POLICY)
    const upstream = scriptedUpstream([503, 200])
    const res = await run(clock, layer(upstream)(POST, {}))
    expect(res.status).toBe(503)
    expect(upstream.calls).toHaveLength(1)
    expect(seen).toEqual([])
  })

  it("under Istio's default policy retries a POST whose connection failed twice, and no more", async () => {
    const { clock, layer } = setup(ISTIO_DEFAULT_RETRY_POLICY)
    const upstream = scriptedUpstream(['connect-failure', 'connect-failure', 200])
    const res = await run(clock, layer(upstream)(POST, {}))
    expect(res.status).toBe(200)
    expect(upstream.calls.map((call) => call.body)).toEqual([undefined, undefined, '{"amount":10}'])

    const failing = scriptedUpstream(['connect-failure'])
    await expect(run(clock, layer(failing)(POST, {}))).rejects.toBeInstanceOf(TestFailure)
    expect(failing.calls).toHaveLength(3)
  })

  it('does not retry a POST reset after it was sent under the default policy', async () => {
    const { clock, layer } = setup(ISTIO_DEFAULT_RETRY_POLICY)
    const upstream = scriptedUpstream(['reset', 200])
    await expect(run(clock, layer(upstream)(POST, {}))).rejects.toMatchObject({ outcome: { reason: 'reset' } })
    expect(upstream.calls).toHaveLength(1)
  })

  it('waits a jittered backoff before retrying', async () => {
    const { clock, layer, seen } = setup(policy({ attempts: 1, backoffBaseMs: 100, backoffMaxMs: 1000 }))
    const upstream = scriptedUpstream([503, 200])
    const call = layer(upstream)(GET, {})
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
    expect((await call).status).toBe(200)
  })

  it('ends the call as a timeout when too little time would be left for a retry: the deadline is the reason to stop', async () => {
    const { clock, layer, seen } = setup(policy({ backoffBaseMs: 25 }))
    const upstream = scriptedUpstream([503, 200])
    const failure = await run(clock, layer(upstream)(GET, { deadlineMs: clock.now() + 3 })).catch((error: unknown) => error)
    expect(failure).toMatchObject({ outcome: { kind: 'failure', reason: 'timeout' } })
    expect(upstream.calls).toHaveLength(1)
    expect(seen).toEqual([{ event: 'giveUp', detail: expect.objectContaining({ reason: 'deadline' }) }])
  })

  it('sends a body larger than the replay limit once and says so', async () => {
    const { clock, layer, seen } = setup(policy(), { replayLimitBytes: 4 })
    const upstream = scriptedUpstream([503, 200])
    const res = await run(clock, layer(upstream)(POST, {}))
    expect(res.status).toBe(503)
    expect(upstream.calls).toHaveLength(1)
    expect(seen).toEqual([{ event: 'giveUp', detail: expect.objectContaining({ reason: 'body-too-large', method: 'POST' }) }])
  })

  it('replays a streamed body on the retry', async () => {
    const { clock, layer } = setup(policy({ retryOn: ['reset'] }))
    const upstream = scriptedUpstream(['reset', 200])
    const res = await run(clock, layer(upstream)({ method: 'PUT', body: chunks('part1-', 'part2') }, {}))
    expect(res.status).toBe(200)
    expect(upstream.calls.map((call) => call.body)).toEqual(['part1-part2', 'part1-part2'])
  })

  it('gives each try the endpoints tried so far, so the balancer picks another', async () => {
    const { clock, layer } = setup(policy({ attempts: 2 }))
    const endpoints = [{ id: '10.0.0.1:80' }, { id: '10.0.0.2:80' }, { id: '10.0.0.3:80' }]
    const chosen: string[] = []
    const upstream = scriptedUpstream([503, 503, 200])
    const balancer = (request: TestRequest, context: TestContext) => {
      let next = 0
      // A deliberately sticky picker: it would pick the first endpoint every time.
      const endpoint = context.tried!.select(() => endpoints[next++ % endpoints.length])!
      chosen.push(endpoint.id)
      return upstream(request, context)
    }
    await run(clock, layer(balancer)(GET, {}))
    expect(chosen).toEqual(['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80'])
  })

  it('refuses a retry when the cluster retry budget has no room', async () => {
    const registry = new ClusterResourceRegistry(new FakeClock(0))
    const cluster = { key: 'outbound|80||reviews', connectionPool: { ...DEFAULT_CONNECTION_POOL, maxRetries: 1 } }
    const { clock, layer, seen } = setup(policy({ attempts: 3, backoffBaseMs: 1000, backoffMaxMs: 1000 }), { registry })
    const upstream = scriptedUpstream([503])
    const first = layer(upstream)(GET, { cluster })
    const second = layer(upstream)(GET, { cluster })
    const results = await run(clock, Promise.all([first, second]), 20_000)
    expect(results.map((r) => r.status)).toEqual([503, 503])
    expect(seen.filter((e) => e.event === 'giveUp').map((e) => (e.detail as { reason: string }).reason)).toContain('budget-exhausted')
    expect(registry.get(cluster.key)!.activeRetries).toBe(0)
  })

  it('stops during the backoff when the call is cancelled', async () => {
    const { clock, layer, seen } = setup(policy({ backoffBaseMs: 1000, backoffMaxMs: 1000 }))
    const cancellation = new Cancellation()
    const upstream = scriptedUpstream([503, 200])
    const call = layer(upstream)(GET, { cancellation })
    await clock.advance(0)
    cancellation.cancel('timeout')
    const res = await call
    expect(res.status).toBe(503)
    expect(upstream.calls).toHaveLength(1)
    expect(seen.at(-1)).toEqual({ event: 'giveUp', detail: expect.objectContaining({ reason: 'cancelled' }) })
  })

  it('rethrows an error that is not an upstream failure without retrying', async () => {
    const { clock, layer } = setup(policy({ retryOn: ['5xx', 'reset'] }))
    let calls = 0
    const bug = new TypeError('bug')
    await expect(run(clock, layer(async () => {
      calls++
      throw bug
    })(GET, {}))).rejects.toBe(bug)
    expect(calls).toBe(1)
  })

  it('passes the call through untouched when the policy has no attempts', async () => {
    const { layer } = setup(policy({ attempts: 0 }))
    const upstream = scriptedUpstream([503, 200])
    const context = {}
    expect((await layer(upstream)(GET, context)).status).toBe(503)
    expect(upstream.calls[0]!.context).toBe(context)
  })
})
