import { describe, expect, it } from 'vitest'
import { Cancellation, TypedEmitter } from '@meshlet/core'
import type { CallContext } from '@meshlet/core'
import { FakeClock } from '../../test/support/fake-clock.js'
import { GET, executed, endpoint, outcomeOf, scriptedUpstream, testCall, testTry } from '../../test/support/scripted.js'
import type { OutlierEvents } from './events.js'
import { createOutlierLayer } from './layer.js'
import type { OutlierConfig } from './policy.js'
import { OutlierRegistry } from './registry.js'
import type { OutlierPolicy } from './registry.js'
import { classifierFor } from '../classify/classifier.js'

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

const policy: OutlierPolicy = { key: 'outbound|80||ratings', outlierDetection }
const policies = new WeakMap<CallContext, OutlierPolicy | undefined>()

function setup() {
  const clock = new FakeClock(0)
  const changes: Array<[string, string, boolean]> = []
  const events = new TypedEmitter<OutlierEvents>()
  const registry = new OutlierRegistry({ clock, events, onEjectionChange: (cluster, id, ejected) => changes.push([cluster, id, ejected]) })
  const layer = createOutlierLayer<CallContext>({ registry, clusterOf: (call) => policies.get(call) })
  return { clock, registry, layer, changes, events }
}

/** A try to `address` of a call to the ratings cluster (or to one without outlier detection). */
function tryTo(address: string | undefined, withPolicy: OutlierPolicy | undefined = policy, cancellation?: Cancellation) {
  const call = testCall({ cancellation })
  policies.set(call, withPolicy)
  return testTry(call, 0, address === undefined ? undefined : endpoint(address, 80))
}

describe('outlier layer', () => {
  it('charges each try to the endpoint it went to, and tells the balancer through the registry’s channel', async () => {
    const { layer, registry, changes } = setup()
    const upstream = executed(scriptedUpstream([503]))
    await layer(upstream)(GET, tryTo('10.0.0.1'))
    expect(registry.ejectedEndpoints(policy.key)).toEqual([])
    await layer(upstream)(GET, tryTo('10.0.0.1'))
    expect(registry.ejectedEndpoints(policy.key)).toEqual(['10.0.0.1:80'])
    expect(changes).toEqual([[policy.key, '10.0.0.1:80', true]])
    expect(registry.ejectedEndpoints('outbound|80||other')).toEqual([])
  })

  it('records a failed try and passes the failure on', async () => {
    const { layer, registry } = setup()
    const upstream = executed(scriptedUpstream(['connect-failure']))
    for (let i = 0; i < 2; i++) await expect(layer(upstream)(GET, tryTo('10.0.0.9'))).rejects.toMatchObject({ outcome: { reason: 'connect-failure' } })
    expect(registry.get(policy.key)!.isEjected('10.0.0.9:80')).toBe(true)
  })

  it('counts a try a timeout ended as a timeout, and one the caller cancelled not at all', async () => {
    const { layer, registry } = setup()
    const abandoned = new Cancellation()
    abandoned.cancel('cancelled')
    const timedOut = new Cancellation()
    timedOut.cancel('per-try-timeout')
    const upstream = executed(scriptedUpstream(['hang']))
    for (let i = 0; i < 3; i++) await layer(upstream)(GET, tryTo('10.0.0.5', policy, abandoned)).catch(() => {})
    expect(registry.get(policy.key)!.isEjected('10.0.0.5:80')).toBe(false)
    for (let i = 0; i < 2; i++) await layer(upstream)(GET, tryTo('10.0.0.5', policy, timedOut)).catch(() => {})
    expect(registry.get(policy.key)!.isEjected('10.0.0.5:80')).toBe(true)
  })

  it('records nothing without a policy or an endpoint', async () => {
    const { layer, registry } = setup()
    await layer(executed(scriptedUpstream([503])))(GET, tryTo('10.0.0.1', undefined))
    await layer(executed(scriptedUpstream([503])))(GET, tryTo(undefined))
    expect(registry.get(policy.key)?.ejectedCount ?? 0).toBe(0)
  })

  it('keeps telling the balancer when every public listener was removed', async () => {
    const { layer, registry, changes, events } = setup()
    events.on('endpointEjected', () => undefined)
    events.removeAllListeners()
    const upstream = executed(scriptedUpstream([500]))
    for (let i = 0; i < 2; i++) await layer(upstream)(GET, tryTo('10.0.0.3'))
    expect(registry.ejectedEndpoints(policy.key)).toEqual(['10.0.0.3:80'])
    expect(changes).toEqual([[policy.key, '10.0.0.3:80', true]])
  })
})

describe('OutlierRegistry', () => {
  const charge = (detector: ReturnType<OutlierRegistry['detectorFor']>, id: string, status: number) =>
    detector!.record(id, classifierFor(undefined, detector!.config)(outcomeOf(status)).endpoint)

  it('closes the detectors of clusters a reload dropped', () => {
    const { clock, registry } = setup()
    registry.detectorFor(policy)
    registry.detectorFor({ ...policy, key: 'outbound|80||kept' })
    registry.retain(new Set(['outbound|80||kept']))
    expect(registry.get(policy.key)).toBeUndefined()
    expect(registry.get('outbound|80||kept')).toBeDefined()
    expect(clock.pendingTimers).toBe(1)
  })

  it('counts every endpoint of the cluster toward maxEjectionPercent, not only those that had traffic', () => {
    const { registry } = setup()
    const endpoints = ['a', 'b', 'c', 'd'].map((id) => ({ id }))
    const half = { key: 'c', outlierDetection: { ...outlierDetection, maxEjectionPercent: 50 }, endpoints }
    const detector = registry.detectorFor(half)!
    expect(detector.endpointCount).toBe(4)
    for (const id of ['a', 'b']) for (let i = 0; i < 2; i++) charge(detector, id, 500)
    expect(detector.ejectedCount).toBe(2)
    registry.detectorFor({ ...half, endpoints: endpoints.slice(2) })
    expect(detector.endpointCount).toBe(2)
    expect(detector.ejectedCount).toBe(0)
  })

  it('keeps endpoint state across a reload, tells of the return, and closes the detector when the policy goes away', async () => {
    const { clock, registry, changes } = setup()
    const detector = registry.detectorFor(policy)!
    charge(detector, 'a', 500)
    charge(detector, 'a', 500)
    const reloaded = registry.detectorFor({ ...policy, outlierDetection: { ...outlierDetection, baseEjectionTimeMs: 1000, intervalMs: 1000 } })!
    expect(reloaded).toBe(detector)
    expect(reloaded.isEjected('a')).toBe(true)
    await clock.advance(1000)
    expect(reloaded.isEjected('a')).toBe(false)
    expect(changes).toEqual([[policy.key, 'a', true], [policy.key, 'a', false]])
    expect(registry.detectorFor({ key: policy.key, outlierDetection: undefined })).toBeUndefined()
    expect(registry.get(policy.key)).toBeUndefined()
    expect(clock.pendingTimers).toBe(0)
  })

  it('names the endpoints a restored state has out before the cluster has a detector', () => {
    const { registry } = setup()
    registry.restoreState({ [policy.key]: { 'a': { ejected: true, ejectionRemainingMs: 5_000, backoff: 1, ejections: 1 }, 'b': { ejected: false, ejectionRemainingMs: undefined, backoff: 1, ejections: 1 } } })
    expect(registry.ejectedEndpoints(policy.key)).toEqual(['a'])
  })
})
