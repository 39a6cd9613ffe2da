import { describe, expect, it } from 'vitest'
import { Cancellation } from './cancellation.js'

describe('Cancellation', () => {
  it('tells listeners once, with the first reason', () => {
    const cancellation = new Cancellation()
    const heard: string[] = []
    cancellation.onCancel((reason) => heard.push(reason))
    expect(cancellation.cancel('per-try-timeout')).toBe(true)
    expect(cancellation.cancel('cancelled')).toBe(false)
    expect(heard).toEqual(['per-try-timeout'])
    expect(cancellation.reason).toBe('per-try-timeout')
  })

  it('calls a listener added after cancellation at once', () => {
    const cancellation = new Cancellation()
    cancellation.cancel('timeout')
    const heard: string[] = []
    cancellation.onCancel((reason) => heard.push(reason))
    expect(heard).toEqual(['timeout'])
  })

  it('makes its AbortSignal only when asked, aborted with a TimeoutError for timeouts', () => {
    const cancellation = new Cancellation()
    const signal = cancellation.signal
    expect(signal.aborted).toBe(false)
    cancellation.cancel('timeout')
    expect(signal.aborted).toBe(true)
    expect((signal.reason as DOMException).name).toBe('TimeoutError')

    const late = new Cancellation()
    late.cancel('cancelled')
    expect(late.signal.aborted).toBe(true)
    expect((late.signal.reason as DOMException).name).toBe('AbortError')
  })

  it('follows its parent until released', () => {
    const parent = new Cancellation()
    const child = new Cancellation(parent)
    const released = new Cancellation(parent)
    released.release()
    parent.cancel('timeout')
    expect(child.reason).toBe('timeout')
    expect(released.cancelled).toBe(false)
  })

  it('starts cancelled under a cancelled parent, and a child does not cancel its parent', () => {
    const parent = new Cancellation()
    const sibling = new Cancellation(parent)
    sibling.cancel('per-try-timeout')
    expect(parent.cancelled).toBe(false)
    parent.cancel('cancelled')
    expect(new Cancellation(parent).reason).toBe('cancelled')
  })

  it('follows an AbortSignal and removes its listener when released', () => {
    const controller = new AbortController()
    const followed = Cancellation.fromSignal(controller.signal)
    const released = Cancellation.fromSignal(controller.signal)
    released.release()
    controller.abort()
    expect(followed.reason).toBe('cancelled')
    expect(released.cancelled).toBe(false)
    expect(Cancellation.fromSignal(controller.signal).reason).toBe('cancelled')
  })

  it('unsubscribes a listener', () => {
    const cancellation = new Cancellation()
    const heard: string[] = []
    const unsubscribe = cancellation.onCancel((reason) => heard.push(reason))
    unsubscribe()
    cancellation.cancel('timeout')
    expect(heard).toEqual([])
  })

  it('tells every listener even when one unsubscribes another while being told', () => {
    const cancellation = new Cancellation()
    const told: string[] = []
    let unsubscribeSecond = (): void => {}
    cancellation.onCancel(() => {
      told.push('first')
      unsubscribeSecond()
    })
    unsubscribeSecond = cancellation.onCancel(() => told.push('second'))
    cancellation.onCancel(() => told.push('third'))
    cancellation.cancel('timeout')
    expect(told).toEqual(['first', 'second', 'third'])
  })

  it('stops telling a listener given back to offCancel, and only that one', () => {
    const cancellation = new Cancellation()
    const told: string[] = []
    const first = (): number => told.push('first')
    cancellation.onCancel(first)
    cancellation.onCancel(() => told.push('second'))
    cancellation.offCancel(first)
    cancellation.offCancel(first)
    cancellation.cancel('cancelled')
    expect(told).toEqual(['second'])
  })

  it('tells every listener even when one is taken off with offCancel while they are being told', () => {
    const cancellation = new Cancellation()
    const told: string[] = []
    const second = (): number => told.push('second')
    cancellation.onCancel(() => {
      told.push('first')
      cancellation.offCancel(second)
    })
    cancellation.onCancel(second)
    cancellation.cancel('timeout')
    expect(told).toEqual(['first', 'second'])
  })
})
