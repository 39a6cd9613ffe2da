import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { FakeClock } from '@meshlet/testing'
import { Reconnector, sleep } from './reconnector.js'
import { DEFAULT_RECONNECT } from './settings.js'

const settings = { initialDelayMs: 100, maxDelayMs: 1_000, breakerThreshold: 4, breakerOpenMs: 10_000, stableAfterMs: 5_000 }

describe('Reconnector', () => {
  it('doubles the delay after each failure, with jitter between half and all of each step, up to the cap', () => {
    const reconnector = new Reconnector({ ...settings, breakerThreshold: 100 }, seededRandom(1))
    const delays = Array.from({ length: 8 }, () => reconnector.failed().delayMs)
    const steps = [100, 200, 400, 800, 1000, 1000, 1000, 1000]
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(steps[index]! / 2)
      expect(delay).toBeLessThanOrEqual(steps[index]!)
    })
  })

  it('spreads the delays of processes that failed together', () => {
    const first = [1, 2, 3, 4, 5].map((seed) => new Reconnector(settings, seededRandom(seed)).failed().delayMs)
    expect(new Set(first).size).toBe(5)
  })

  it('opens the breaker after breakerThreshold consecutive failures and then waits breakerOpenMs', () => {
    const reconnector = new Reconnector(settings, seededRandom(2))
    const plans = Array.from({ length: 4 }, () => reconnector.failed())
    expect(plans.slice(0, 3).every((plan) => !plan.breakerOpen)).toBe(true)
    expect(plans[3]!.breakerOpen).toBe(true)
    expect(plans[3]!.delayMs).toBeGreaterThanOrEqual(5_000)
    expect(plans[3]!.delayMs).toBeLessThanOrEqual(10_000)
  })

  it('re-opens at once when the trial connection after an open breaker fails', () => {
    const reconnector = new Reconnector(settings, seededRandom(3))
    for (let i = 0; i < 4; i++) reconnector.failed()
    expect(reconnector.failed().breakerOpen).toBe(true)
  })

  it('closes the breaker and starts the backoff over once a connection holds', () => {
    const reconnector = new Reconnector(settings, seededRandom(4))
    for (let i = 0; i < 4; i++) reconnector.failed()
    reconnector.succeeded()
    expect(reconnector.breakerOpen).toBe(false)
    const next = reconnector.failed()
    expect(next.breakerOpen).toBe(false)
    expect(next.delayMs).toBeLessThanOrEqual(100)
  })

  it('has defaults in the range of client-go reflector backoff', () => {
    expect(DEFAULT_RECONNECT.maxDelayMs).toBe(30_000)
    expect(DEFAULT_RECONNECT.initialDelayMs).toBeLessThan(1_000)
  })
})

describe('sleep', () => {
  it('waits on the injected clock and stops early when aborted', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    const done = sleep(clock, 1_000, controller.signal)
    clock.advance(999)
    const early = sleep(clock, 5_000, controller.signal)
    controller.abort()
    expect(await early).toBe(false)
    clock.advance(1)
    expect(await done).toBe(false)
  })

  it('resolves true when the delay passes', async () => {
    const clock = new FakeClock()
    const done = sleep(clock, 1_000, new AbortController().signal)
    clock.advance(1_000)
    expect(await done).toBe(true)
  })
})
