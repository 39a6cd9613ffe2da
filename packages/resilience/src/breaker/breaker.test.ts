import { describe, expect, it } from 'vitest'
import { TypedEmitter, localReply } from '@meshlet/core'
import type { CallContext, MeshResponse, TryHandler, TryState } from '@meshlet/core'
import { DEFAULT_CIRCUIT_BREAKER } from '../../test/support/defaults.js'
import { FakeClock } from '../../test/support/fake-clock.js'
import { GET, executed, scriptedUpstream, testCall, testTry } from '../../test/support/scripted.js'
import type { BreakerEvents } from './events.js'
import { createBreakerLayer } from './layer.js'
import type { CircuitBreakerConfig } from './policy.js'
import { BreakerRegistry } from './registry.js'
import type { BreakerPolicy } from './registry.js'

const breakers = new WeakMap<CallContext, BreakerPolicy>()
function tryWith(breaker: BreakerPolicy): TryState {
  const call = testCall()
  breakers.set(call, breaker)
  return testTry(call)
}

function setup(overrides: Partial<CircuitBreakerConfig> = {}) {
  const clock = new FakeClock(0)
  const events = new TypedEmitter<BreakerEvents>()
  const log: string[] = []
  events.on('circuitOpened', (e) => log.push(`opened from ${e.from} after ${e.failures}/${e.calls}`))
  events.on('circuitHalfOpened', () => log.push('half-open'))
  events.on('circuitClosed', () => log.push('closed'))
  events.on('circuitRejected', () => log.push('rejected'))
  const registry = new BreakerRegistry({ clock, events })
  const policy: BreakerPolicy = { key: 'outbound|80||payments', circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, volumeThreshold: 4, resetTimeoutMs: 5000, ...overrides } }
  const breaker = createBreakerLayer<CallContext>({ registry, breakerOf: (call) => breakers.get(call) })
  // Above the classifier, as in the stack: the breaker reads the verdict of each try.
  const layer = (upstream: TryHandler) => breaker(executed(upstream))
  return { clock, registry, policy, layer, log }
}

async function send(layer: ReturnType<typeof setup>['layer'], policy: BreakerPolicy, steps: Parameters<typeof scriptedUpstream>[0], times = 1) {
  const upstream = scriptedUpstream(steps)
  const statuses: Array<number | string> = []
  for (let i = 0; i < times; i++) {
    try {
      statuses.push((await layer(upstream)(GET, tryWith(policy))).status)
    } catch (error) {
      statuses.push((error as { outcome: { reason: string } }).outcome.reason)
    }
  }
  return { statuses, upstream }
}

describe('error-ratio breaker', () => {
  it('stays closed below the volume threshold however many calls fail', async () => {
    const { layer, policy, registry } = setup()
    const { statuses } = await send(layer, policy, [503], 3)
    expect(statuses).toEqual([503, 503, 503])
    expect(registry.get(policy.key)!.state).toBe('closed')
  })

  it('opens when failures exceed the threshold percentage, then answers 503 circuit-open without calling', async () => {
    const { layer, policy, registry, log } = setup()
    await send(layer, policy, [200], 2)
    await send(layer, policy, ['reset'], 2)
    // 2 failures in 4 calls is 50 %, not above it.
    expect(registry.get(policy.key)!.state).toBe('closed')
    await send(layer, policy, [500])
    expect(registry.get(policy.key)!.state).toBe('open')
    expect(log).toEqual(['opened from closed after 3/5'])
    const { statuses, upstream } = await send(layer, policy, [200], 2)
    expect(statuses).toEqual([503, 503])
    expect(upstream.calls).toHaveLength(0)
    expect(log.filter((entry) => entry === 'rejected')).toHaveLength(2)
  })

  it('half-opens after the reset timeout on the clock, and closes after a successful trial call', async () => {
    const { clock, layer, policy, registry, log } = setup()
    await send(layer, policy, [500], 4)
    expect(registry.get(policy.key)!.state).toBe('open')
    await clock.advance(4999)
    expect(registry.get(policy.key)!.state).toBe('open')
    await clock.advance(1)
    expect(registry.get(policy.key)!.state).toBe('half-open')
    const { statuses } = await send(layer, policy, [200])
    expect(statuses).toEqual([200])
    expect(registry.get(policy.key)!.state).toBe('closed')
    expect(log).toEqual(['opened from closed after 4/4', 'half-open', 'closed'])
  })

  it('re-opens when the trial call fails, for another reset timeout', async () => {
    const { clock, layer, policy, registry, log } = setup()
    await send(layer, policy, [500], 4)
    await clock.advance(5000)
    expect((await send(layer, policy, ['connect-failure'])).statuses).toEqual(['connect-failure'])
    expect(registry.get(policy.key)!.state).toBe('open')
    expect(log.at(-1)).toMatch(/^opened from half-open/)
    await clock.advance(5000)
    expect(registry.get(policy.key)!.state).toBe('half-open')
  })

  it('lets only halfOpenMaxRequests trial calls through at once', async () => {
    const { clock, layer, policy } = setup({ halfOpenMaxRequests: 2 })
    await send(layer, policy, [500], 4)
    await clock.advance(5000)
    const gates: Array<(res: MeshResponse) => void> = []
    const slow: TryHandler = () => new Promise<MeshResponse>((resolve) => gates.push(resolve))
    const calls = [1, 2, 3].map(() => layer(slow)(GET, tryWith(policy)))
    const third = await calls[2]!
    expect(third.status).toBe(503)
    expect(third.localReason).toBe('circuit-open')
    expect(gates).toHaveLength(2)
    gates.forEach((answer) => answer({ status: 200, headers: {}, body: null, localReason: undefined }))
    expect((await Promise.all(calls.slice(0, 2))).map((res) => res.status)).toEqual([200, 200])
  })

  it('forgets old failures as the rolling window moves on', async () => {
    const { clock, layer, policy, registry } = setup({ rollingCountTimeoutMs: 1000, rollingCountBuckets: 10 })
    await send(layer, policy, [500], 3)
    await clock.advance(1000)
    await send(layer, policy, [200], 2)
    await send(layer, policy, [500], 1)
    // 1 failure in 3 calls inside the window: below 50 % and below the volume threshold of 4.
    expect(registry.get(policy.key)!.state).toBe('closed')
  })

  it('does not count answers meshlet made itself or a caller abort', async () => {
    const { layer, policy, registry } = setup({ volumeThreshold: 1 })
    // What the pool layer below answers on overflow: a local reply, with its verdict.
    const overflowing: TryHandler = async () => localReply(503, 'overflow', { 'x-envoy-overloaded': 'true' })
    for (let i = 0; i < 5; i++) await layer(overflowing)(GET, tryWith(policy))
    await send(layer, policy, ['cancelled'], 5)
    expect(registry.get(policy.key)!.state).toBe('closed')
  })

  it('keeps its state when reconfigured and is disposed when the annotation goes away', async () => {
    const { clock, layer, policy, registry } = setup()
    await send(layer, policy, [500], 4)
    const breaker = registry.get(policy.key)!
    registry.breakerFor({ ...policy, circuitBreaker: { ...policy.circuitBreaker!, resetTimeoutMs: 100 } })
    expect(breaker.state).toBe('open')
    expect(registry.breakerFor({ key: policy.key, circuitBreaker: undefined })).toBeUndefined()
    expect(registry.get(policy.key)).toBeUndefined()
    expect(clock.pendingTimers).toBe(0)
  })

  it('disposes the breakers of clusters a reload dropped', async () => {
    const { clock, layer, policy, registry } = setup()
    await send(layer, policy, [200])
    registry.breakerFor({ ...policy, key: 'outbound|80||kept' })
    registry.retain(new Set(['outbound|80||kept']))
    expect(registry.get(policy.key)).toBeUndefined()
    expect(registry.get('outbound|80||kept')!.state).toBe('closed')
    expect(clock.pendingTimers).toBe(1)
  })
})
