import { describe, expect, it } from 'vitest'
import { TypedEmitter, seededRandom } from '@meshlet/core'
import { FakeClock } from '../../test/support/fake-clock.js'
import type { CallOutcome } from '@meshlet/core'
import { failureOf, outcomeOf } from '../../test/support/scripted.js'
import { classifierFor } from '../classify/classifier.js'
import { OutlierDetector } from './detector.js'
import type { OutlierEvents } from './events.js'
import type { OutlierConfig, OutlierExtensionConfig } from './policy.js'
import { successRateThreshold } from './ratio.js'

/** Records an outcome as the stack does: the classifier's verdict (with the detector's error codes) charges the endpoint. */
function charge(detector: OutlierDetector, endpoint: string, outcome: CallOutcome): void {
  detector.record(endpoint, classifierFor(undefined, detector.config)(outcome).endpoint)
}

const ISTIO_DEFAULTS: OutlierConfig = {
  consecutive5xxErrors: 5,
  consecutiveGatewayErrors: 0,
  consecutiveLocalOriginFailures: 5,
  splitExternalLocalOriginErrors: false,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 10,
  minHealthPercent: 0,
  httpErrorCodes: undefined,
}

function setup(overrides: Partial<OutlierConfig> = {}, options: { extension?: OutlierExtensionConfig; endpoints?: string[]; random?: () => number } = {}) {
  const clock = new FakeClock(0)
  const events = new TypedEmitter<OutlierEvents>()
  const log: Array<{ event: string; endpoint: string; detail: Record<string, unknown> }> = []
  events.on('endpointEjected', (e) => log.push({ event: 'ejected', endpoint: e.endpoint, detail: { ...e } }))
  events.on('endpointReturned', (e) => log.push({ event: 'returned', endpoint: e.endpoint, detail: { ...e } }))
  events.on('ejectionSkipped', (e) => log.push({ event: 'skipped', endpoint: e.endpoint, detail: { ...e } }))
  const detector = new OutlierDetector({
    cluster: 'outbound|9080||reviews',
    config: { ...ISTIO_DEFAULTS, ...overrides },
    extension: options.extension,
    clock,
    random: options.random ?? seededRandom(9),
    events,
  })
  detector.syncEndpoints(options.endpoints ?? ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])
  return { clock, detector, log }
}

const repeat = (times: number, action: () => void) => {
  for (let i = 0; i < times; i++) action()
}

describe('outlier detection: consecutive errors', () => {
  it('ejects an endpoint inline on its fifth consecutive 5xx, not before', () => {
    const { detector, log } = setup()
    repeat(4, () => charge(detector, 'a', outcomeOf(500)))
    expect(detector.isEjected('a')).toBe(false)
    charge(detector, 'a', outcomeOf(503))
    expect(detector.isEjected('a')).toBe(true)
    expect(detector.admits('a')).toBe(false)
    expect(log).toEqual([{ event: 'ejected', endpoint: 'a', detail: expect.objectContaining({ reason: 'consecutive-5xx', ejectionTimeMs: 30_000, ejections: 1 }) }])
  })

  it('starts counting again after any answer that is not an error', () => {
    const { detector } = setup()
    repeat(4, () => charge(detector, 'a', outcomeOf(500)))
    charge(detector, 'a', outcomeOf(404))
    repeat(4, () => charge(detector, 'a', outcomeOf(500)))
    expect(detector.isEjected('a')).toBe(false)
  })

  it('counts connect failures, resets and timeouts as errors when local and external errors are not split', () => {
    const { detector } = setup()
    charge(detector, 'a', failureOf('connect-failure', false))
    charge(detector, 'a', failureOf('reset'))
    charge(detector, 'a', failureOf('per-try-timeout'))
    charge(detector, 'a', failureOf('timeout'))
    expect(detector.isEjected('a')).toBe(false)
    charge(detector, 'a', outcomeOf(502))
    expect(detector.isEjected('a')).toBe(true)
  })

  it('ignores the caller cancelling and answers meshlet made itself', () => {
    const { detector } = setup({ consecutive5xxErrors: 1 })
    charge(detector, 'a', failureOf('cancelled'))
    charge(detector, 'a', outcomeOf(503, { 'x-envoy-overloaded': 'true' }, 'overflow'))
    expect(detector.isEjected('a')).toBe(false)
  })

  it('counts gateway errors (502, 503, 504) separately, reset by a 500', () => {
    const { detector, log } = setup({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 3 })
    charge(detector, 'a', outcomeOf(502))
    charge(detector, 'a', outcomeOf(503))
    charge(detector, 'a', outcomeOf(500))
    charge(detector, 'a', outcomeOf(504))
    charge(detector, 'a', outcomeOf(503))
    expect(detector.isEjected('a')).toBe(false)
    charge(detector, 'a', failureOf('per-try-timeout'))
    expect(detector.isEjected('a')).toBe(true)
    expect(log[0]!.detail.reason).toBe('consecutive-gateway-errors')
  })

  it('never ejects with consecutive5xxErrors 0', () => {
    const { detector } = setup({ consecutive5xxErrors: 0 })
    repeat(50, () => charge(detector, 'a', outcomeOf(500)))
    expect(detector.isEjected('a')).toBe(false)
  })

  it('in split mode ejects on local-origin failures alone and on external 5xx alone', () => {
    const { detector, log } = setup({ splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 3, consecutive5xxErrors: 3, maxEjectionPercent: 100 })
    charge(detector, 'a', failureOf('connect-failure', false))
    charge(detector, 'a', failureOf('reset'))
    charge(detector, 'a', outcomeOf(500))
    charge(detector, 'a', failureOf('reset'))
    // The 500 showed the connection worked, so local failures count from 1 again.
    expect(detector.isEjected('a')).toBe(false)
    charge(detector, 'a', failureOf('reset'))
    charge(detector, 'a', failureOf('per-try-timeout'))
    expect(detector.isEjected('a')).toBe(true)

    charge(detector, 'b', outcomeOf(503))
    charge(detector, 'b', failureOf('reset'))
    charge(detector, 'b', outcomeOf(503))
    expect(detector.isEjected('b')).toBe(false)
    charge(detector, 'b', outcomeOf(500))
    expect(detector.isEjected('b')).toBe(true)
    expect(log.map((e) => e.detail.reason)).toEqual(['consecutive-local-origin-failures', 'consecutive-5xx'])
  })

  it('with outlierDetectionHttpErrorCodes counts only the listed codes', () => {
    const { detector } = setup({ consecutive5xxErrors: 2, httpErrorCodes: [404, 502], maxEjectionPercent: 100 })
    charge(detector, 'a', outcomeOf(503))
    charge(detector, 'a', outcomeOf(503))
    expect(detector.isEjected('a')).toBe(false)
    charge(detector, 'b', outcomeOf(404))
    charge(detector, 'b', outcomeOf(502))
    expect(detector.isEjected('b')).toBe(true)
  })

  it('judges gRPC answers by the status their grpc-status maps to', () => {
    const { detector } = setup({ consecutive5xxErrors: 2 })
    const unavailable = outcomeOf(200, { 'content-type': 'application/grpc', 'grpc-status': '14' })
    charge(detector, 'a', unavailable)
    charge(detector, 'a', unavailable)
    expect(detector.isEjected('a')).toBe(true)
  })
})

describe('outlier detection: ejection time', () => {
  it('returns an ejected endpoint at the first sweep after the ejection time', async () => {
    const { clock, detector, log } = setup()
    await clock.advance(5000)
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    await clock.advance(29_000)
    expect(detector.isEjected('a')).toBe(true)
    // Sweeps run at 10 s, 20 s, 30 s and 40 s; the endpoint has served 30 s at 35 s.
    await clock.advance(6000)
    expect(detector.isEjected('a')).toBe(false)
    expect(clock.now()).toBe(40_000)
    expect(log.at(-1)).toEqual({ event: 'returned', endpoint: 'a', detail: expect.objectContaining({ ejectedForMs: 35_000 }) })
  })

  it('ejects for base time × consecutive ejections, capped at 300 s', async () => {
    const { clock, detector, log } = setup({ intervalMs: 1000 })
    const times: number[] = []
    for (let round = 0; round < 13; round++) {
      repeat(5, () => charge(detector, 'a', outcomeOf(500)))
      times.push(log.at(-1)!.detail.ejectionTimeMs as number)
      await clock.advance(times.at(-1)!)
      expect(detector.isEjected('a')).toBe(false)
    }
    expect(times.slice(0, 4)).toEqual([30_000, 60_000, 90_000, 120_000])
    expect(times.slice(9)).toEqual([300_000, 300_000, 300_000, 300_000])
  })

  it('shortens the next ejection for each interval the endpoint stays healthy', async () => {
    const { clock, detector, log } = setup()
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    await clock.advance(30_000)
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    expect(log.at(-1)!.detail.ejectionTimeMs).toBe(60_000)
    await clock.advance(60_000)
    expect(detector.isEjected('a')).toBe(false)
    // Healthy for two sweeps: the multiplier drops from 2 to 0, so the next ejection is 1 × base.
    await clock.advance(20_000)
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    expect(log.at(-1)!.detail.ejectionTimeMs).toBe(30_000)
  })
})

describe('outlier detection: how many may be out', () => {
  it('always lets one endpoint be ejected, then holds to maxEjectionPercent', () => {
    const { detector, log } = setup({}, { endpoints: ['a', 'b', 'c'] })
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    repeat(5, () => charge(detector, 'b', outcomeOf(500)))
    expect(detector.isEjected('a')).toBe(true)
    expect(detector.isEjected('b')).toBe(false)
    expect(log.map((e) => e.event)).toEqual(['ejected', 'skipped'])
  })

  it('ejects as many as maxEjectionPercent allows', () => {
    const { detector } = setup({ maxEjectionPercent: 50 }, { endpoints: ['a', 'b', 'c', 'd'] })
    for (const id of ['a', 'b', 'c']) repeat(5, () => charge(detector, id, outcomeOf(500)))
    expect(['a', 'b', 'c', 'd'].map((id) => detector.isEjected(id))).toEqual([true, true, false, false])
    expect(detector.ejectedCount).toBe(2)
  })

  it('uses ejected endpoints again when the healthy share falls below minHealthPercent', () => {
    const { detector } = setup({ maxEjectionPercent: 100, minHealthPercent: 50 }, { endpoints: ['a', 'b', 'c'] })
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    expect(detector.inPanic()).toBe(false)
    expect(detector.admits('a')).toBe(false)
    repeat(5, () => charge(detector, 'b', outcomeOf(500)))
    expect(detector.inPanic()).toBe(true)
    expect(detector.admits('a')).toBe(true)
    expect(detector.isEjected('a')).toBe(true)
  })

  it("never panics with Istio's minHealthPercent of 0", () => {
    const { detector } = setup({ maxEjectionPercent: 100 }, { endpoints: ['a', 'b'] })
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    repeat(5, () => charge(detector, 'b', outcomeOf(500)))
    expect(detector.inPanic()).toBe(false)
    expect(detector.admits('a') || detector.admits('b')).toBe(false)
  })

  it('forgets endpoints that leave the cluster, ejected ones included', () => {
    const { detector } = setup({}, { endpoints: ['a', 'b'] })
    repeat(5, () => charge(detector, 'a', outcomeOf(500)))
    detector.syncEndpoints(['b', 'c'])
    expect(detector.ejectedCount).toBe(0)
    expect(detector.endpointCount).toBe(2)
  })
})

describe('outlier detection: success rate and failure percentage', () => {
  const fivePods = ['a', 'b', 'c', 'd', 'e']

  function serve(detector: OutlierDetector, id: string, requests: number, failures: number) {
    for (let i = 0; i < requests; i++) charge(detector, id, outcomeOf(i < failures ? 500 : 200))
  }

  it("computes Envoy's documented example threshold", () => {
    expect(successRateThreshold([50, 100, 100, 100, 100], 1.9)).toEqual({ mean: 90, threshold: 52 })
  })

  it('ejects an endpoint whose success rate is an outlier at the end of an interval', async () => {
    const successRate = { minimumHosts: 5, requestVolume: 100, stdevFactor: 1.9, enforcingPercent: 100 }
    const { clock, detector, log } = setup({ consecutive5xxErrors: 0, maxEjectionPercent: 100 }, { endpoints: fivePods, extension: { intervalMs: 10_000, successRate, failurePercentage: undefined } })
    await clock.advance(5000)
    for (const id of fivePods) serve(detector, id, 100, id === 'e' ? 50 : 1)
    expect(detector.isEjected('e')).toBe(false)
    // Judged at the sweep that closes the interval the requests were made in.
    await clock.advance(5000)
    expect(fivePods.filter((id) => detector.isEjected(id))).toEqual(['e'])
    expect(log).toEqual([{ event: 'ejected', endpoint: 'e', detail: expect.objectContaining({ reason: 'success-rate' }) }])
    // The next interval has no requests, so nobody else is judged.
    await clock.advance(10_000)
    expect(detector.ejectedCount).toBe(1)
  })

  it('judges no one when too few endpoints have enough requests', async () => {
    const successRate = { minimumHosts: 5, requestVolume: 100, stdevFactor: 1.9, enforcingPercent: 100 }
    const { clock, detector } = setup({ consecutive5xxErrors: 0, maxEjectionPercent: 100 }, { endpoints: fivePods, extension: { intervalMs: 10_000, successRate, failurePercentage: undefined } })
    await clock.advance(10_000)
    for (const id of fivePods) serve(detector, id, id === 'a' ? 99 : 100, id === 'e' ? 50 : 0)
    await clock.advance(20_000)
    expect(detector.ejectedCount).toBe(0)
  })

  it('ejects every endpoint failing at least the failure percentage threshold', async () => {
    const failurePercentage = { thresholdPercent: 50, minimumHosts: 3, requestVolume: 20, enforcingPercent: 100 }
    const { clock, detector, log } = setup({ consecutive5xxErrors: 0, maxEjectionPercent: 100 }, { endpoints: fivePods, extension: { intervalMs: 10_000, successRate: undefined, failurePercentage } })
    await clock.advance(9000)
    serve(detector, 'a', 20, 10)
    serve(detector, 'b', 20, 9)
    serve(detector, 'c', 19, 19)
    serve(detector, 'd', 20, 0)
    await clock.advance(11_000)
    expect(fivePods.filter((id) => detector.isEjected(id))).toEqual(['a'])
    expect(log[0]!.detail.reason).toBe('failure-percentage')
  })

  it('ejects a detected outlier only as often as the enforcement percentage says', async () => {
    const failurePercentage = { thresholdPercent: 50, minimumHosts: 1, requestVolume: 1, enforcingPercent: 0 }
    const { clock, detector } = setup({ consecutive5xxErrors: 0, maxEjectionPercent: 100 }, { endpoints: fivePods, extension: { intervalMs: 10_000, successRate: undefined, failurePercentage } })
    await clock.advance(9000)
    serve(detector, 'a', 10, 10)
    await clock.advance(11_000)
    expect(detector.ejectedCount).toBe(0)
  })

  it('runs ratio ejection alone when the DestinationRule has only the annotation', async () => {
    const clock = new FakeClock(0)
    const failurePercentage = { thresholdPercent: 80, minimumHosts: 1, requestVolume: 10, enforcingPercent: 100 }
    const detector = new OutlierDetector({ cluster: 'c', config: undefined, extension: { intervalMs: 5000, successRate: undefined, failurePercentage }, clock })
    detector.syncEndpoints(['a', 'b'])
    serve(detector, 'a', 10, 10)
    expect(detector.isEjected('a')).toBe(false)
    await clock.advance(5000)
    expect(detector.isEjected('a')).toBe(true)
  })
})
