import { describe, expect, it } from 'vitest'
import { TypedEmitter, compose, seededRandom } from '@meshlet/core'
import { FakeClock } from '../../test/support/fake-clock.js'
import { Cancellation, TestFailure, response, scriptedUpstream, testAdapter } from '../../test/support/scripted.js'
import type { TestContext, TestRequest, TestResponse } from '../../test/support/scripted.js'
import { DeadlineScheduler } from '../deadline/scheduler.js'
import { createRetryLayer } from '../retry/layer.js'
import type { RetryPolicyConfig } from '../retry/policy.js'
import type { TimeoutEvents } from './events.js'
import { createTimeoutLayer } from './layer.js'
import { createPerTryTimeoutLayer } from './per-try-layer.js'

const GET: TestRequest = { method: 'GET', body: null }

function setup(timeoutMs: number | undefined, adapterOptions: { bodyDone?: boolean } = {}) {
  const clock = new FakeClock(0)
  const scheduler = new DeadlineScheduler(clock)
  const events = new TypedEmitter<TimeoutEvents>()
  const fired: unknown[] = []
  events.on('timeout', (event) => fired.push(event))
  const layer = createTimeoutLayer<TestRequest, TestResponse, TestContext>({ adapter: testAdapter(adapterOptions), timeoutOf: () => timeoutMs, scheduler, events })
  return { clock, scheduler, layer, fired }
}

describe('route timeout layer', () => {
  it('answers 504 with x-meshlet-reason timeout and cancels the call below when the timeout passes', async () => {
    const { clock, layer, fired } = setup(100)
    const upstream = scriptedUpstream(['hang'])
    const call = layer(upstream)(GET, {})
    await clock.advance(99)
    expect(upstream.calls[0]!.context.cancellation!.cancelled).toBe(false)
    await clock.advance(1)
    const res = await call
    expect(res.status).toBe(504)
    expect(res.headers['x-meshlet-reason']).toBe('timeout')
    expect(upstream.calls[0]!.context.cancellation!.reason).toBe('timeout')
    expect(fired).toEqual([{ kind: 'route', timeoutMs: 100, phase: 'headers' }])
  })

  it('returns the answer that comes in time and leaves no deadline behind', async () => {
    const { layer, scheduler } = setup(100)
    const res = await layer(scriptedUpstream([200]))(GET, {})
    expect(res.status).toBe(200)
    expect(scheduler.size).toBe(0)
  })

  it('gives the layers below the deadline in their context', async () => {
    const { clock, layer } = setup(250)
    const upstream = scriptedUpstream([200])
    await layer(upstream)(GET, {})
    expect(upstream.calls[0]!.context.deadlineMs).toBe(clock.now() + 250)
  })

  it('keeps the earlier deadline the call already carries', async () => {
    const { clock, layer } = setup(1000)
    const upstream = scriptedUpstream(['hang'])
    const call = layer(upstream)(GET, { deadlineMs: 40 })
    expect(upstream.calls[0]!.context.deadlineMs).toBe(40)
    await clock.advance(40)
    expect((await call).status).toBe(504)
  })

  it('answers 504 at once when the deadline has already passed, without calling upstream', async () => {
    const { clock, layer } = setup(undefined)
    await clock.advance(100)
    const upstream = scriptedUpstream([200])
    expect((await layer(upstream)(GET, { deadlineMs: 50 })).status).toBe(504)
    expect(upstream.calls).toHaveLength(0)
  })

  it('passes a call without timeout or deadline through untouched', async () => {
    const { layer, scheduler } = setup(undefined)
    const upstream = scriptedUpstream([200])
    const context = {}
    await layer(upstream)(GET, context)
    expect(upstream.calls[0]!.context).toBe(context)
    expect(scheduler.size).toBe(0)
  })

  it('releases an answer that arrives after the timeout', async () => {
    const { clock, layer } = setup(10)
    let answer: (res: TestResponse) => void = () => {}
    const call = layer(() => new Promise<TestResponse>((resolve) => (answer = resolve)))(GET, {})
    await clock.advance(10)
    expect((await call).status).toBe(504)
    const late = response(200)
    answer(late)
    await clock.advance(0)
    expect(late.discarded).toBe(true)
  })

  it('passes the caller cancelling on to the call below', async () => {
    const { layer } = setup(1000)
    const caller = new Cancellation()
    const upstream = scriptedUpstream(['hang'])
    const call = layer(upstream)(GET, { cancellation: caller })
    caller.cancel('cancelled')
    await expect(call).rejects.toMatchObject({ outcome: { reason: 'cancelled' } })
  })

  it('keeps bounding the response until its body is done, then aborts a body that outlives it', async () => {
    const { clock, layer, fired, scheduler } = setup(100, { bodyDone: true })
    const upstream = scriptedUpstream([200])
    const res = await layer(upstream)(GET, {})
    expect(res.status).toBe(200)
    expect(scheduler.size).toBe(1)
    await clock.advance(100)
    expect(upstream.calls[0]!.context.cancellation!.reason).toBe('timeout')
    expect(fired).toEqual([{ kind: 'route', timeoutMs: 100, phase: 'body' }])

    const second = await layer(scriptedUpstream([200]))(GET, {})
    second.finishBody!()
    expect(scheduler.size).toBe(0)
  })
})

describe('per-try timeout layer', () => {
  const setupPerTry = (perTryMs: number | undefined) => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const events = new TypedEmitter<TimeoutEvents>()
    const fired: unknown[] = []
    events.on('timeout', (event) => fired.push(event))
    const adapter = {
      ...testAdapter(),
      withExpectedTimeout: (request: TestRequest, timeoutMs: number) => ({ ...request, headers: { ...request.headers, 'x-envoy-expected-rq-timeout-ms': String(timeoutMs) } }),
    }
    const layer = createPerTryTimeoutLayer<TestRequest, TestResponse, TestContext>({ adapter, perTryTimeoutOf: () => perTryMs, scheduler, events })
    return { clock, layer, fired, scheduler }
  }

  it('fails a try that gets no answer in time with a per-try-timeout failure and cancels it', async () => {
    const { clock, layer, fired } = setupPerTry(30)
    const upstream = scriptedUpstream(['hang'])
    const call = layer(upstream)(GET, {})
    const assertion = expect(call).rejects.toMatchObject({ outcome: { reason: 'per-try-timeout', requestSent: true } })
    await clock.advance(30)
    await assertion
    expect(upstream.calls[0]!.context.cancellation!.reason).toBe('per-try-timeout')
    expect(fired).toEqual([{ kind: 'per-try', timeoutMs: 30, phase: 'headers' }])
  })

  it('has no effect when the call deadline comes first', async () => {
    const { layer, scheduler } = setupPerTry(500)
    const upstream = scriptedUpstream([200])
    await layer(upstream)(GET, { deadlineMs: 100 })
    expect(upstream.calls[0]!.context.deadlineMs).toBe(100)
    expect(scheduler.size).toBe(0)
  })

  it('tells the upstream its deadline: the per-try timeout, bounded by the time left', async () => {
    const { layer } = setupPerTry(300)
    const upstream = scriptedUpstream([200])
    await layer(upstream)(GET, { deadlineMs: 1000 })
    await layer(upstream)(GET, { deadlineMs: 120 })
    expect(upstream.calls.map((call) => call.request.headers?.['x-envoy-expected-rq-timeout-ms'])).toEqual(['300', '120'])

    const unbounded = setupPerTry(undefined)
    await unbounded.layer(upstream)(GET, {})
    expect(upstream.calls[2]!.request.headers).toBeUndefined()
  })
})

describe('timeouts with retries', () => {
  const policy = (overrides: Partial<RetryPolicyConfig>): RetryPolicyConfig => ({
    attempts: 5,
    perTryTimeoutMs: 30,
    retryOn: ['5xx'],
    retriableStatusCodes: [],
    avoidPreviousHosts: true,
    backoffBaseMs: 10,
    backoffMaxMs: 100,
    ...overrides,
  })

  function stack(routeTimeoutMs: number | undefined, retryPolicy: RetryPolicyConfig) {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const adapter = testAdapter()
    const handler = compose<TestRequest, TestResponse, TestContext>(
      createTimeoutLayer({ adapter, timeoutOf: () => routeTimeoutMs, scheduler }),
      createRetryLayer({ adapter, policyOf: () => retryPolicy, clock, random: seededRandom(5), scheduler }),
      createPerTryTimeoutLayer({ adapter, perTryTimeoutOf: () => retryPolicy.perTryTimeoutMs, scheduler }),
    )
    return { clock, handler, scheduler }
  }

  it('retries a per-try timeout under 5xx and succeeds on a try that answers', async () => {
    const { clock, handler } = stack(undefined, policy({}))
    const upstream = scriptedUpstream(['hang', 200])
    const call = handler(upstream)(GET, {})
    await clock.advance(200)
    expect((await call).status).toBe(200)
    expect(upstream.calls).toHaveLength(2)
  })

  it('does not retry a per-try timeout under connect-failure only', async () => {
    const { clock, handler } = stack(undefined, policy({ retryOn: ['connect-failure', 'refused-stream'] }))
    const upstream = scriptedUpstream(['hang', 200])
    const call = handler(upstream)(GET, {})
    const assertion = expect(call).rejects.toBeInstanceOf(TestFailure)
    await clock.advance(200)
    await assertion
    expect(upstream.calls).toHaveLength(1)
  })

  it('bounds every try and backoff by the route timeout, and starts no try after it', async () => {
    const { clock, handler, scheduler } = stack(100, policy({ attempts: 10 }))
    const upstream = scriptedUpstream(['hang'])
    const call = handler(upstream)(GET, {})
    await clock.advance(100)
    const res = await call
    expect(res.status).toBe(504)
    const tries = upstream.calls.length
    expect(tries).toBeGreaterThanOrEqual(2)
    expect(tries).toBeLessThanOrEqual(4)
    await clock.advance(1000)
    expect(upstream.calls).toHaveLength(tries)
    expect(upstream.calls.every((c) => c.context.cancellation!.cancelled)).toBe(true)
    expect(scheduler.size).toBe(0)
  })
})
