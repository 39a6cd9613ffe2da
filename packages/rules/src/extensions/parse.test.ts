import { describe, expect, it } from 'vitest'
import { parseMeshletExtensions } from './parse.js'
import { DEFAULT_CIRCUIT_BREAKER, DEFAULT_FAILURE_PERCENTAGE } from './defaults.js'

describe('parseMeshletExtensions', () => {
  it('returns nothing and no problems when there is no meshlet.io annotation', () => {
    expect(parseMeshletExtensions({ 'sidecar.istio.io/inject': 'false' })).toEqual({ extensions: {}, problems: [] })
  })

  it('reads the load balancer name', () => {
    expect(parseMeshletExtensions({ 'meshlet.io/load-balancer': 'PEAK_EWMA' }).extensions).toEqual({ loadBalancer: 'PEAK_EWMA' })
  })

  it("fills a circuit breaker written as {} with opossum's defaults", () => {
    const { extensions } = parseMeshletExtensions({ 'meshlet.io/circuit-breaker': '{}' })
    expect(extensions.circuitBreaker).toEqual({
      errorThresholdPercentage: 50,
      volumeThreshold: 0,
      resetTimeoutMs: 30_000,
      rollingCountTimeoutMs: 10_000,
      rollingCountBuckets: 10,
      halfOpenMaxRequests: 1,
    })
  })

  it('converts circuit breaker durations to milliseconds and keeps the given knobs', () => {
    const { extensions } = parseMeshletExtensions({
      'meshlet.io/circuit-breaker': 'errorThresholdPercentage: 25\nresetTimeout: 1m30s\nrollingCountTimeout: 2.5s\nrollingCountBuckets: 5',
    })
    expect(extensions.circuitBreaker).toEqual({ ...DEFAULT_CIRCUIT_BREAKER, errorThresholdPercentage: 25, resetTimeoutMs: 90_000, rollingCountTimeoutMs: 2_500, rollingCountBuckets: 5 })
  })

  it("fills outlier detection blocks with Envoy's defaults and turns stdevFactor into a factor", () => {
    const { extensions } = parseMeshletExtensions({ 'meshlet.io/outlier-detection': 'successRate: {}\nfailurePercentage:' })
    expect(extensions.outlierDetection).toEqual({
      intervalMs: 10_000,
      successRate: { minimumHosts: 5, requestVolume: 100, stdevFactor: 1.9, enforcingPercent: 100 },
      failurePercentage: { thresholdPercent: 85, minimumHosts: 5, requestVolume: 50, enforcingPercent: 100 },
    })
  })

  it('leaves out the ejection kind that is not asked for', () => {
    const { extensions } = parseMeshletExtensions({ 'meshlet.io/outlier-detection': '{"interval": "30s", "failurePercentage": {"threshold": 60}}' })
    expect(extensions.outlierDetection).toEqual({ intervalMs: 30_000, successRate: undefined, failurePercentage: { ...DEFAULT_FAILURE_PERCENTAGE, thresholdPercent: 60 } })
  })

  it('reads the peak EWMA decay in milliseconds', () => {
    expect(parseMeshletExtensions({ 'meshlet.io/peak-ewma': 'decay: 250ms' }).extensions.peakEwma).toEqual({ decayMs: 250 })
  })

  it('leaves an annotation with a problem out of the extensions and reports it under its key', () => {
    const { extensions, problems } = parseMeshletExtensions({
      'meshlet.io/load-balancer': 'ROUND_ROBIN',
      'meshlet.io/circuit-breaker': '{resetTimeout: 5}',
    })
    expect(extensions).toEqual({ loadBalancer: 'ROUND_ROBIN' })
    expect(problems).toEqual([{ key: 'meshlet.io/circuit-breaker', severity: 'error', code: 'DURATION', message: expect.stringContaining('resetTimeout: must be a duration string') }])
  })

  it('reports an unknown meshlet.io key', () => {
    const { problems } = parseMeshletExtensions({ 'meshlet.io/retry-budget': '{}' })
    expect(problems).toEqual([expect.objectContaining({ key: 'meshlet.io/retry-budget', code: 'ANNOTATION_UNKNOWN' })])
  })

  it('returns frozen values', () => {
    const { extensions } = parseMeshletExtensions({ 'meshlet.io/circuit-breaker': '{}' })
    expect(Object.isFrozen(extensions)).toBe(true)
    expect(Object.isFrozen(extensions.circuitBreaker)).toBe(true)
  })
})
