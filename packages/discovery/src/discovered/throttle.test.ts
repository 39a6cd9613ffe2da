import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import { PublishThrottle } from './throttle.js'

describe('PublishThrottle', () => {
  it('publishes a change at once when the key has been quiet for the interval', () => {
    const clock = new FakeClock(1_000)
    const published: string[] = []
    const throttle = new PublishThrottle(clock, 50)
    throttle.request('a', () => published.push('a1'))
    expect(published).toEqual(['a1'])
    clock.advance(60)
    throttle.request('a', () => published.push('a2'))
    expect(published).toEqual(['a1', 'a2'])
  })

  it('publishes a burst once, with its last state, at the end of the interval', () => {
    const clock = new FakeClock(1_000)
    const published: string[] = []
    const throttle = new PublishThrottle(clock, 50)
    throttle.request('a', () => published.push('a1'))
    clock.advance(10)
    throttle.request('a', () => published.push('a2'))
    throttle.request('a', () => published.push('a3'))
    throttle.request('b', () => published.push('b1'))
    expect(published).toEqual(['a1', 'b1'])
    clock.advance(39)
    expect(published).toEqual(['a1', 'b1'])
    clock.advance(1)
    expect(published).toEqual(['a1', 'b1', 'a3'])
  })

  it('publishes every change at once with an interval of 0', () => {
    const published: number[] = []
    const throttle = new PublishThrottle(new FakeClock(), 0)
    for (let i = 0; i < 3; i++) throttle.request('a', () => published.push(i))
    expect(published).toEqual([0, 1, 2])
  })
})
