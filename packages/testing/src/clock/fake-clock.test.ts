import { describe, expect, it } from 'vitest'
import { FakeClock } from './fake-clock.js'

describe('FakeClock', () => {
  it('runs a timer only when time reaches it', () => {
    const clock = new FakeClock()
    const fired: number[] = []
    clock.setTimeout(() => fired.push(clock.now()), 100)
    clock.advance(99)
    expect(fired).toEqual([])
    clock.advance(1)
    expect(fired).toEqual([100])
  })

  it('runs timers due at the same time in the order they were set', () => {
    const clock = new FakeClock()
    const order: string[] = []
    clock.setTimeout(() => order.push('a'), 10)
    clock.setTimeout(() => order.push('b'), 10)
    clock.setTimeout(() => order.push('c'), 5)
    clock.advance(10)
    expect(order).toEqual(['c', 'a', 'b'])
  })

  it('does not run a cleared timer', () => {
    const clock = new FakeClock()
    let fired = false
    const handle = clock.setTimeout(() => (fired = true), 10)
    clock.clearTimeout(handle)
    clock.advance(20)
    expect(fired).toBe(false)
    expect(clock.pendingTimers).toBe(0)
  })

  it('lets a timer started by promise work run within the same tick', async () => {
    const clock = new FakeClock()
    const fired: number[] = []
    clock.setTimeout(() => {
      void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 10))
    }, 10)
    await clock.tick(25)
    expect(fired).toEqual([20])
  })

  it('tells a test when a timer has been set', async () => {
    const clock = new FakeClock()
    const waiting = clock.whenTimers(1)
    setImmediate(() => clock.setTimeout(() => undefined, 5))
    await waiting
    expect(clock.pendingTimers).toBe(1)
  })
})
