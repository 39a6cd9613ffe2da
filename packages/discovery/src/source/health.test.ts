import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import type { DiscoveryDegradedEvent, DiscoveryRecoveredEvent } from './events.js'
import { SourceHealth } from './health.js'

function recorder() {
  const degraded: DiscoveryDegradedEvent[] = []
  const recovered: DiscoveryRecoveredEvent[] = []
  return { degraded, recovered, reporter: { degraded: (e: DiscoveryDegradedEvent) => degraded.push(e), recovered: (e: DiscoveryRecoveredEvent) => recovered.push(e), rejected: () => undefined } }
}

describe('SourceHealth', () => {
  it('reports degraded once when streams start failing, and recovered once all are back, with the time down', () => {
    const clock = new FakeClock(1_000)
    const { degraded, recovered, reporter } = recorder()
    const health = new SourceHealth('kubernetes', clock, reporter)
    health.failed('watch services', new Error('reset'), false)
    health.failed('watch pods', new Error('reset'), false)
    health.failed('watch services', new Error('refused'), false)
    expect(degraded.map((e) => e.resource)).toEqual(['watch services'])
    clock.advance(4_000)
    health.synced('watch services')
    expect(recovered).toEqual([])
    health.synced('watch pods')
    expect(recovered).toEqual([{ source: 'kubernetes', downMs: 4_000 }])
    expect(health.degraded).toBe(false)
  })

  it('reports again when a failing stream opens its breaker', () => {
    const { degraded, reporter } = recorder()
    const health = new SourceHealth('etcd', new FakeClock(), reporter)
    health.failed('watch', new Error('refused'), false)
    health.failed('watch', new Error('refused'), true)
    health.failed('watch', new Error('refused'), true)
    expect(degraded.map((e) => e.breakerOpen)).toEqual([false, true])
  })

  it('says nothing when a healthy stream syncs', () => {
    const { recovered, reporter } = recorder()
    new SourceHealth('etcd', new FakeClock(), reporter).synced('watch')
    expect(recovered).toEqual([])
  })
})
