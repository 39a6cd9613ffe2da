import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../test/support/fake-clock.js'
import { Cancellation } from '@meshlet/core'
import { DeadlineScheduler, schedulerFor } from './scheduler.js'

describe('DeadlineScheduler', () => {
  it('fires deadlines in time order whatever order they were scheduled in', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const fired: string[] = []
    scheduler.schedule(300, () => fired.push('c'))
    scheduler.schedule(100, () => fired.push('a'))
    scheduler.schedule(200, () => fired.push('b'))
    await clock.advance(150)
    expect(fired).toEqual(['a'])
    await clock.advance(1000)
    expect(fired).toEqual(['a', 'b', 'c'])
    expect(scheduler.size).toBe(0)
  })

  it('fires equal deadlines in the order they were scheduled', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const fired: number[] = []
    for (let i = 0; i < 5; i++) scheduler.schedule(50, () => fired.push(i))
    await clock.advance(50)
    expect(fired).toEqual([0, 1, 2, 3, 4])
  })

  it('keeps a single clock timer armed however many deadlines wait', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    for (let i = 0; i < 100; i++) scheduler.schedule(1000 + i, () => {})
    expect(scheduler.size).toBe(100)
    expect(clock.pendingTimers).toBe(1)
  })

  it('does not fire a cancelled deadline and reports who won', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const fired: string[] = []
    const a = scheduler.schedule(100, () => fired.push('a'))
    const b = scheduler.schedule(200, () => fired.push('b'))
    expect(a.cancel()).toBe(true)
    expect(a.cancel()).toBe(false)
    await clock.advance(500)
    expect(fired).toEqual(['b'])
    expect(b.cancel()).toBe(false)
  })

  it('keeps heap order when deadlines in the middle are cancelled', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const fired: number[] = []
    const entries = [50, 10, 40, 20, 30, 60, 5, 45].map((at) => scheduler.schedule(at, () => fired.push(at)))
    entries[2]!.cancel()
    entries[4]!.cancel()
    await clock.advance(100)
    expect(fired).toEqual([5, 10, 20, 45, 50, 60])
  })

  it('re-arms for an earlier deadline scheduled after a later one', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const fired: string[] = []
    scheduler.schedule(1000, () => fired.push('late'))
    scheduler.schedule(10, () => fired.push('early'))
    await clock.advance(10)
    expect(fired).toEqual(['early'])
  })

  it('fires a deadline that is already past on the next timer turn', async () => {
    const clock = new FakeClock(500)
    const scheduler = new DeadlineScheduler(clock)
    const fired: string[] = []
    scheduler.schedule(100, () => fired.push('past'))
    expect(fired).toEqual([])
    await clock.advance(0)
    expect(fired).toEqual(['past'])
  })

  it('sleeps for the given time and wakes early when cancelled', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    let woke = false
    void scheduler.sleep(100).then(() => (woke = true))
    await clock.advance(99)
    expect(woke).toBe(false)
    await clock.advance(1)
    expect(woke).toBe(true)

    const cancellation = new Cancellation()
    let wokeEarly = false
    void scheduler.sleep(10_000, cancellation).then(() => (wokeEarly = true))
    await clock.advance(5)
    cancellation.cancel('timeout')
    await clock.advance(0)
    expect(wokeEarly).toBe(true)
    expect(scheduler.size).toBe(0)
  })

  it('reaches a deadline beyond the longest timer Node allows in steps, without firing early', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const fired: number[] = []
    const farMs = 3 * 2_147_483_647
    scheduler.schedule(farMs, () => fired.push(clock.now()))
    await clock.advance(2 * 2_147_483_647)
    expect(fired).toEqual([])
    expect(clock.pendingTimers).toBe(1)
    await clock.advance(2_147_483_647)
    expect(fired).toEqual([farMs])
  })

  it('drops every deadline on close', async () => {
    const clock = new FakeClock(0)
    const scheduler = new DeadlineScheduler(clock)
    const fired: string[] = []
    scheduler.schedule(10, () => fired.push('a'))
    scheduler.close()
    await clock.advance(100)
    expect(fired).toEqual([])
    expect(scheduler.size).toBe(0)
  })

  it('shares one scheduler per clock', () => {
    const clock = new FakeClock(0)
    expect(schedulerFor(clock)).toBe(schedulerFor(clock))
    expect(schedulerFor(new FakeClock(0))).not.toBe(schedulerFor(clock))
    expect(schedulerFor()).toBe(schedulerFor())
  })

  it('holds the process open while a deadline waits and lets it go once none does', async () => {
    const clock = new FakeClock(0)
    const held: boolean[] = []
    const handles = { setTimeout: clock.setTimeout.bind(clock) }
    clock.setTimeout = (callback, delayMs) => {
      const handle = handles.setTimeout(callback, delayMs)
      held.push(true)
      return Object.assign(handle, { ref: () => held.push(true), unref: () => held.push(false) })
    }
    const scheduler = new DeadlineScheduler(clock)
    const first = scheduler.schedule(30_000, () => {})
    expect(held.at(-1)).toBe(true)
    first.cancel()
    expect(held.at(-1)).toBe(false)
    scheduler.schedule(40_000, () => {})
    expect(held.at(-1)).toBe(true)
  })
})
