import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../test/support/fake-clock.js'
import { Cancellation, TestFailure, scriptedUpstream, testAdapter } from '../../test/support/scripted.js'
import type { TestContext, TestRequest, TestResponse } from '../../test/support/scripted.js'
import { createOutlierLayer } from './layer.js'
import type { OutlierConfig } from './policy.js'
import { OutlierRegistry } from './registry.js'
import type { OutlierPolicy } from './registry.js'

const GET: TestRequest = { method: 'GET', body: null }

const outlierDetection: OutlierConfig = {
  consecutive5xxErrors: 2,
  consecutiveGatewayErrors: 0,
  consecutiveLocalOriginFailures: 5,
  splitExternalLocalOriginErrors: false,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 100,
  minHealthPercent: 0,
  httpErrorCodes: undefined,
}

type Ctx = TestContext & { policy?: OutlierPolicy }

function setup() {
  const clock = new FakeClock(0)
  const registry = new OutlierRegistry({ clock })
  const layer = createOutlierLayer<TestRequest, TestResponse, Ctx>({
    adapter: testAdapter(),
    registry,
    clusterOf: (_, context) => context.policy,
    endpointOf: (_, context) => context.endpoint,
  })
  return { clock, registry, layer }
}

const policy: OutlierPolicy = { key: 'outbound|80||ratings', outlierDetection }

describe('outlier layer', () => {
  it("records each try against the endpoint it went to, and the registry tells the balancer", async () => {
    const { layer, registry } = setup()
    const upstream = scriptedUpstream([503])
    await layer(upstream)(GET, { policy, endpoint: '10.0.0.1:80' })
    expect(registry.admits(policy.key, '10.0.0.1:80')).toBe(true)
    await layer(upstream)(GET, { policy, endpoint: '10.0.0.1:80' })
    expect(registry.admits(policy.key, '10.0.0.1:80')).toBe(false)
    expect(registry.admits(policy.key, '10.0.0.2:80')).toBe(true)
    expect(registry.admits('outbound|80||other', '10.0.0.1:80')).toBe(true)
  })

  it('records a failed try and passes the failure on', async () => {
    const { layer, registry } = setup()
    const upstream = scriptedUpstream(['connect-failure'])
    for (let i = 0; i < 2; i++) {
      await expect(layer(upstream)(GET, { policy, endpoint: 'a' })).rejects.toBeInstanceOf(TestFailure)
    }
    expect(registry.get(policy.key)!.isEjected('a')).toBe(true)
  })

  it('counts a try cancelled by a timeout as a timeout, and one the caller cancelled not at all', async () => {
    const { layer, registry } = setup()
    const timedOut = new Cancellation()
    timedOut.cancel('per-try-timeout')
    const abandoned = new Cancellation()
    abandoned.cancel('cancelled')
    const upstream = scriptedUpstream(['cancelled'])
    for (let i = 0; i < 3; i++) await layer(upstream)(GET, { policy, endpoint: 'a', cancellation: abandoned }).catch(() => {})
    expect(registry.get(policy.key)!.isEjected('a')).toBe(false)
    for (let i = 0; i < 2; i++) await layer(upstream)(GET, { policy, endpoint: 'a', cancellation: timedOut }).catch(() => {})
    expect(registry.get(policy.key)!.isEjected('a')).toBe(true)
  })

  it('records nothing without a policy or an endpoint', async () => {
    const { layer, registry } = setup()
    await layer(scriptedUpstream([503]))(GET, {})
    await layer(scriptedUpstream([503]))(GET, { policy })
    expect(registry.get(policy.key)).toBeUndefined()
  })
})

describe('OutlierRegistry', () => {
  it('closes the detectors of clusters a reload dropped', async () => {
    const { clock, registry } = setup()
    registry.detectorFor(policy)
    registry.detectorFor({ ...policy, key: 'outbound|80||kept' })
    registry.retain(new Set(['outbound|80||kept']))
    expect(registry.get(policy.key)).toBeUndefined()
    expect(registry.get('outbound|80||kept')).toBeDefined()
    expect(clock.pendingTimers).toBe(1)
  })


  it("counts every endpoint of the cluster toward maxEjectionPercent, not only those that had traffic", () => {
    const { registry } = setup()
    const endpoints = ['a', 'b', 'c', 'd'].map((id) => ({ id }))
    const tenPercent = { key: 'c', outlierDetection: { ...outlierDetection, maxEjectionPercent: 50 }, endpoints }
    const detector = registry.detectorFor(tenPercent)!
    expect(detector.endpointCount).toBe(4)
    for (const id of ['a', 'b']) for (let i = 0; i < 2; i++) detector.record(id, { kind: 'response', status: 500, header: () => undefined, localReason: undefined })
    expect(detector.ejectedCount).toBe(2)
    registry.detectorFor({ ...tenPercent, endpoints: endpoints.slice(2) })
    expect(detector.endpointCount).toBe(2)
    expect(detector.ejectedCount).toBe(0)
  })


  it('keeps endpoint state across a reload and closes the detector when the policy goes away', async () => {
    const { clock, registry } = setup()
    const detector = registry.detectorFor(policy)!
    detector.record('a', { kind: 'response', status: 500, header: () => undefined, localReason: undefined })
    detector.record('a', { kind: 'response', status: 500, header: () => undefined, localReason: undefined })
    const reloaded = registry.detectorFor({ ...policy, outlierDetection: { ...outlierDetection, baseEjectionTimeMs: 1000, intervalMs: 1000 } })!
    expect(reloaded).toBe(detector)
    expect(reloaded.isEjected('a')).toBe(true)
    await clock.advance(1000)
    expect(reloaded.isEjected('a')).toBe(false)
    expect(registry.detectorFor({ key: policy.key, outlierDetection: undefined })).toBeUndefined()
    expect(registry.get(policy.key)).toBeUndefined()
    expect(clock.pendingTimers).toBe(0)
  })
})
