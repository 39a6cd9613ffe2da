import { describe, expect, it } from 'vitest'
import { isMeshError } from '@meshlet/core'
import { FakeClock } from '../../test/support/fake-clock.js'
import { outcomeOf } from '../../test/support/scripted.js'
import { BreakerRegistry } from '../breaker/registry.js'
import { DEFAULT_CIRCUIT_BREAKER } from '../../test/support/defaults.js'
import type { OutlierConfig } from '../outlier/policy.js'
import { OutlierRegistry } from '../outlier/registry.js'
import { restoreState, snapshotState } from './snapshot.js'

const outlierDetection: OutlierConfig = {
  consecutive5xxErrors: 1,
  consecutiveGatewayErrors: 0,
  consecutiveLocalOriginFailures: 5,
  splitExternalLocalOriginErrors: false,
  intervalMs: 1000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 100,
  minHealthPercent: 0,
  httpErrorCodes: undefined,
}
const outlierPolicy = { key: 'outbound|80||ratings', outlierDetection }
const breakerPolicy = { key: 'outbound|80||payments', circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, resetTimeoutMs: 10_000 } }

function mesh(startMs = 0) {
  const clock = new FakeClock(startMs)
  return { clock, outliers: new OutlierRegistry({ clock }), breakers: new BreakerRegistry({ clock }) }
}

async function learnSomething() {
  const before = mesh()
  const detector = before.outliers.detectorFor(outlierPolicy)!
  detector.syncEndpoints(['10.0.0.1:80', '10.0.0.2:80'])
  detector.record('10.0.0.1:80', { kind: 'http', code: 500 })
  await before.clock.advance(30_000)
  // Ejected a second time: 60 s, with the multiplier at 2.
  detector.record('10.0.0.1:80', { kind: 'http', code: 500 })
  await before.clock.advance(10_000)
  const breaker = before.breakers.breakerFor(breakerPolicy)!
  breaker.record(breaker.admit()!, true)
  await before.clock.advance(0)
  await before.clock.advance(4000)
  return before
}

describe('resilience state', () => {
  it('survives a JSON round trip into a fresh mesh, aged by the time it was stored', async () => {
    const before = await learnSomething()
    const saved = JSON.parse(JSON.stringify(snapshotState({ ...before, wallClock: () => 1_000_000 })))
    expect(saved).toEqual({
      version: 1,
      savedAtMs: 1_000_000,
      outliers: { [outlierPolicy.key]: { '10.0.0.1:80': { ejected: true, ejectionRemainingMs: 46_000, backoff: 2, ejections: 2 } } },
      breakers: { [breakerPolicy.key]: { state: 'open', resetRemainingMs: 6000 } },
    })

    const after = mesh(500)
    restoreState(saved, { ...after, wallClock: () => 1_005_000 })
    // Clusters take their state on their first call.
    const detector = after.outliers.detectorFor(outlierPolicy)!
    expect(detector.isEjected('10.0.0.1:80')).toBe(true)
    const breaker = after.breakers.breakerFor(breakerPolicy)!
    expect(breaker.state).toBe('open')
    await after.clock.advance(1000)
    expect(breaker.state).toBe('half-open')
    await after.clock.advance(39_000)
    expect(detector.isEjected('10.0.0.1:80')).toBe(true)
    await after.clock.advance(1000)
    expect(detector.isEjected('10.0.0.1:80')).toBe(false)
    // The multiplier came along: the next ejection lasts 3 × base.
    const ejections: number[] = []
    detector.record('10.0.0.1:80', { kind: 'http', code: 500 })
    ejections.push(detector.exportState()['10.0.0.1:80']!.ejectionRemainingMs!)
    expect(ejections).toEqual([90_000])
  })

  it('brings back as half-open a breaker whose reset time ran out while stored, and lets an expired ejection go', async () => {
    const before = await learnSomething()
    const saved = snapshotState({ ...before, wallClock: () => 0 })
    const after = mesh()
    restoreState(saved, { ...after, wallClock: () => 50_000 })
    expect(after.breakers.breakerFor(breakerPolicy)!.state).toBe('half-open')
    expect(after.outliers.detectorFor(outlierPolicy)!.isEjected('10.0.0.1:80')).toBe(false)
  })

  it('keeps restored state in the next snapshot even for clusters not called yet', async () => {
    const before = await learnSomething()
    const saved = snapshotState({ ...before, wallClock: () => 0 })
    const after = mesh()
    restoreState(saved, { ...after, wallClock: () => 1000 })
    const again = snapshotState({ ...after, wallClock: () => 1000 })
    expect(again.outliers[outlierPolicy.key]!['10.0.0.1:80']!.ejectionRemainingMs).toBe(45_000)
    expect(again.breakers[breakerPolicy.key]).toEqual({ state: 'open', resetRemainingMs: 5000 })
  })

  it('applies to clusters already running', async () => {
    const before = await learnSomething()
    const saved = snapshotState({ ...before, wallClock: () => 0 })
    const after = mesh()
    const detector = after.outliers.detectorFor(outlierPolicy)!
    after.breakers.breakerFor(breakerPolicy)
    restoreState(saved, { ...after, wallClock: () => 0 })
    expect(detector.isEjected('10.0.0.1:80')).toBe(true)
    expect(after.breakers.get(breakerPolicy.key)!.state).toBe('open')
  })

  it('refuses a snapshot of another version or with wrong fields, listing every problem', () => {
    const { outliers, breakers } = mesh()
    const attempt = (value: unknown) => {
      try {
        restoreState(value, { outliers, breakers })
        return 'restored'
      } catch (error) {
        expect(isMeshError(error, 'MESHLET_ERR_STATE_INVALID')).toBe(true)
        return (error as Error).message
      }
    }
    expect(attempt(null)).toContain('expected an object')
    expect(attempt({ version: 2, savedAtMs: 0 })).toContain('version: expected 1, got 2')
    const message = attempt({
      version: 1,
      savedAtMs: 0,
      outliers: { c: { e: { ejected: 'yes', backoff: -1, ejections: 1 } } },
      breakers: { b: { state: 'ajar' } },
    })
    expect(message).toContain('outliers["c"]["e"].ejected: expected true or false')
    expect(message).toContain('outliers["c"]["e"].backoff: expected a non-negative integer')
    expect(message).toContain('breakers["b"].state: expected closed, open or half-open')
    expect(snapshotState({ outliers, breakers, wallClock: () => 0 })).toEqual({ version: 1, savedAtMs: 0, outliers: {}, breakers: {} })
  })
})
