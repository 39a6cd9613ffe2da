import { describe, expect, it } from 'vitest'
import { Cancellation, TryState, TypedEmitter, seededRandom } from '@meshlet/core'
import type { CallContext, TryHandler } from '@meshlet/core'
import { FakeClock } from '../../test/support/fake-clock.js'
import { GET, executed, heldBody, response, scriptedUpstream, testCall, testTry } from '../../test/support/scripted.js'
import { classifierFor } from '../classify/classifier.js'
import { DeadlineScheduler } from '../deadline/scheduler.js'
import { createRetryLayer } from '../retry/layer.js'
import type { RetryPolicyConfig } from '../retry/policy.js'
import type { TimeoutEvents } from './events.js'
import { createTimeoutLayer } from './layer.js'
import { createPerTryTimeoutLayer } from './per-try-layer.js'

/** The route timeout over one try of the scripted upstream (the call below as the retry layer runs it). */
function setup(timeoutMs: number | undefined) {
  const clock = new FakeClock(0)
  const scheduler = new DeadlineScheduler(clock)
  const events = new TypedEmitter<TimeoutEvents>()
  const fired: unknown[] = []
  events.on('timeout', (event) => fired.push(event))
  const timeout = createTimeoutLayer<CallContext>({ timeoutOf: () => timeoutMs, scheduler, events })
  const layer = (upstream: TryHandler) => timeout((request, call) => upstream(request, new TryState(call, 0)))
  return { clock, scheduler, layer, fired, call: (extra: Parameters<typeof testCall>[0] = {}) => testCall({ clock, ...extra }) }
}

describe('route timeout layer', () => {
  it('ends a call that gets no answer in time with a timeout failure, cancelling what runs below', async () => {
    const { clock, layer, fired, call } = setup(100)
    const upstream = scriptedUpstream(['hang'])
    const pending = layer(upstream)(GET, call()).catch((error: unknown) => error)
    await clock.advance(99)
    expect(upstream.calls[0]!.state.cancellation!.cancelled).toBe(false)
    await clock.advance(1)
    expect(await pending).toMatchObject({ outcome: { kind: 'failure', reason: 'timeout' } })
    expect(upstream.calls[0]!.state.cancellation!.reason).toBe('timeout')
    expect(fired).toEqual([{ kind: 'route', timeoutMs: 100, phase: 'headers' }])
  })

  it('returns the answer that comes in time and leaves no deadline behind', async () => {
    const { layer, scheduler, call } = setup(100)
    const res = await layer(scriptedUpstream([200]))(GET, call())
    expect(res.status).toBe(200)
    expect(scheduler.size).toBe(0)
  })

  it('makes the deadline and its cancellation the call’s, for every try below', async () => {
    const { clock, layer, call } = setup(250)
    const upstream = scriptedUpstream([200])
    const context = call()
    await layer(upstream)(GET, context)
    expect(context.deadlineMs).toBe(clock.now() + 250)
    expect(upstream.calls[0]!.state.deadlineMs).toBe(clock.now() + 250)
    expect(upstream.calls[0]!.state.cancellation).toBe(context.cancellation)
  })

  it('keeps the earlier deadline the call already carries', async () => {
    const { clock, layer, call } = setup(1000)
    const upstream = scriptedUpstream(['hang'])
    const pending = layer(upstream)(GET, call({ deadlineMs: 40 })).catch((error: unknown) => error)
    expect(upstream.calls[0]!.state.deadlineMs).toBe(40)
    await clock.advance(40)
    expect(await pending).toMatchObject({ outcome: { reason: 'timeout' } })
  })

  it('fails at once when the deadline has already passed, without calling upstream', async () => {
    const { clock, layer, call } = setup(undefined)
    await clock.advance(100)
    const upstream = scriptedUpstream([200])
    await expect(layer(upstream)(GET, call({ deadlineMs: 50 }))).rejects.toMatchObject({ outcome: { reason: 'timeout' } })
    expect(upstream.calls).toHaveLength(0)
  })

  it('leaves a call without timeout or deadline as it is', async () => {
    const { layer, scheduler, call } = setup(undefined)
    const upstream = scriptedUpstream([200])
    const context = call()
    await layer(upstream)(GET, context)
    expect(context.deadlineMs).toBeUndefined()
    expect(context.cancellation).toBeUndefined()
    expect(scheduler.size).toBe(0)
  })

  it('passes the caller cancelling on to the call below', async () => {
    const { layer, call } = setup(1000)
    const caller = new Cancellation()
    const upstream = scriptedUpstream(['hang'])
    const pending = layer(upstream)(GET, call({ cancellation: caller }))
    caller.cancel('cancelled')
    await expect(pending).rejects.toMatchObject({ outcome: { reason: 'cancelled' } })
  })

  it('keeps bounding the response until its body is done, then cancels a body that outlives it', async () => {
    const { clock, layer, fired, scheduler, call } = setup(100)
    const upstream = scriptedUpstream([response(200, {}, heldBody())])
    const context = call()
    const res = await layer(upstream)(GET, context)
    expect(res.status).toBe(200)
    expect(scheduler.size).toBe(1)
    await clock.advance(100)
    expect(context.cancellation!.reason).toBe('timeout')
    expect(fired).toEqual([{ kind: 'route', timeoutMs: 100, phase: 'body' }])

    const body = heldBody()
    await layer(scriptedUpstream([response(200, {}, body)]))(GET, call())
    expect(scheduler.size).toBe(1)
    body.finish()
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
    const perTry = createPerTryTimeoutLayer<CallContext>({ perTryTimeoutOf: () => perTryMs, scheduler, events })
    const layer = (upstream: TryHandler) => executed(perTry(upstream))
    return { clock, layer, fired, scheduler, state: (extra: Parameters<typeof testCall>[0] = {}) => testTry(testCall({ clock, ...extra })) }
  }

  it('fails a try that gets no answer in time with a per-try-timeout failure and cancels it', async () => {
    const { clock, layer, fired, state } = setupPerTry(30)
    const upstream = scriptedUpstream(['hang'])
    const pending = layer(upstream)(GET, state()).catch((error: unknown) => error)
    await clock.advance(30)
    expect(await pending).toMatchObject({ outcome: { reason: 'per-try-timeout', requestSent: true } })
    expect(upstream.calls[0]!.state.cancellation!.reason).toBe('per-try-timeout')
    expect(fired).toEqual([{ kind: 'per-try', timeoutMs: 30, phase: 'headers' }])
  })

  it('has no effect when the call deadline comes first', async () => {
    const { layer, scheduler, state } = setupPerTry(500)
    const upstream = scriptedUpstream([200])
    const tried = state({ deadlineMs: 100 })
    await layer(upstream)(GET, tried)
    expect(tried.deadlineMs).toBe(100)
    expect(scheduler.size).toBe(0)
  })

  it("gives the try its own deadline, the earlier of the per-try timeout and the call's", async () => {
    const { layer, state } = setupPerTry(300)
    const upstream = scriptedUpstream([200])
    const long = state({ deadlineMs: 1000 })
    await layer(upstream)(GET, long)
    expect(long.deadlineMs).toBe(300)
    const unbounded = setupPerTry(undefined)
    const free = unbounded.state()
    await unbounded.layer(upstream)(GET, free)
    expect(free.deadlineMs).toBeUndefined()
  })

  it('stops its deadline once the headers came, and lets go of the call when the body is done', async () => {
    const { clock, layer, scheduler, state } = setupPerTry(30)
    const body = heldBody()
    const caller = new Cancellation()
    const tried = state({ cancellation: caller })
    await layer(scriptedUpstream([response(200, {}, body)]))(GET, tried)
    expect(scheduler.size).toBe(0)
    await clock.advance(100)
    expect(tried.cancellation!.cancelled).toBe(false)
    // Still following the call while the body streams: the caller's abort reaches it.
    caller.cancel('cancelled')
    expect(tried.cancellation!.reason).toBe('cancelled')
    body.finish()
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
    const timeout = createTimeoutLayer<CallContext>({ timeoutOf: () => routeTimeoutMs, scheduler })
    const retry = createRetryLayer<CallContext>({ policyOf: () => retryPolicy, classifierOf: () => classifierFor(retryPolicy, undefined), clock, random: seededRandom(5), scheduler })
    const perTry = createPerTryTimeoutLayer<CallContext>({ perTryTimeoutOf: () => retryPolicy.perTryTimeoutMs, scheduler })
    const handler = (upstream: TryHandler) => timeout(retry(perTry(upstream)))
    return { clock, handler, scheduler, call: () => testCall({ clock }) }
  }

  it('retries a per-try timeout under 5xx and succeeds on a try that answers', async () => {
    const { clock, handler, call } = stack(undefined, policy({}))
    const upstream = scriptedUpstream(['hang', 200])
    const pending = handler(upstream)(GET, call())
    await clock.advance(200)
    expect((await pending).status).toBe(200)
    expect(upstream.calls).toHaveLength(2)
  })

  it('does not retry a per-try timeout under connect-failure only', async () => {
    const { clock, handler, call } = stack(undefined, policy({ retryOn: ['connect-failure', 'refused-stream'] }))
    const upstream = scriptedUpstream(['hang', 200])
    const pending = handler(upstream)(GET, call()).catch((error: unknown) => error)
    await clock.advance(200)
    expect(await pending).toMatchObject({ outcome: { reason: 'per-try-timeout' } })
    expect(upstream.calls).toHaveLength(1)
  })

  it('bounds every try and backoff by the route timeout, and starts no try after it', async () => {
    const { clock, handler, scheduler, call } = stack(100, policy({ attempts: 10 }))
    const upstream = scriptedUpstream(['hang'])
    const pending = handler(upstream)(GET, call()).catch((error: unknown) => error)
    await clock.advance(100)
    expect(await pending).toMatchObject({ outcome: { reason: 'timeout' } })
    const tries = upstream.calls.length
    expect(tries).toBeGreaterThanOrEqual(2)
    expect(tries).toBeLessThanOrEqual(4)
    await clock.advance(1000)
    expect(upstream.calls).toHaveLength(tries)
    expect(upstream.calls.every((c) => c.state.cancellation!.cancelled)).toBe(true)
    expect(scheduler.size).toBe(0)
  })

  it('hands the per-try timeout state to one try only: the next try starts afresh', async () => {
    const { clock, handler, call } = stack(undefined, policy({}))
    const upstream = scriptedUpstream(['hang', 200])
    const pending = handler(upstream)(GET, call())
    await clock.advance(200)
    await pending
    const [first, second] = upstream.calls.map((c) => c.state)
    expect(first!.cancellation!.reason).toBe('per-try-timeout')
    expect(second!.cancellation!.cancelled).toBe(false)
    expect(second!.cancellation).not.toBe(first!.cancellation)
  })
})

