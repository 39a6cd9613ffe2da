import { describe, expect, it } from 'vitest'
import { IstioRequestMetrics } from './request-metrics.js'
import { NO_RESPONSE_FLAGS, responseFlagSet } from './response-flags.js'

const reviews = { service: 'reviews.default.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v1' } }

describe('Istio request metrics', () => {
  it('count a call once in the series of its labels, with its duration and sizes', () => {
    const metrics = new IstioRequestMetrics({ identity: { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } } })
    const handle = metrics.destination(reviews)
    handle.record('http', 200, undefined, NO_RESPONSE_FLAGS, 12, 0, 345)
    handle.record('http', 200, undefined, NO_RESPONSE_FLAGS, 30, 10, 345)
    const [series, ...rest] = [...metrics.series()]
    expect(rest).toEqual([])
    expect(series!.count).toBe(2)
    expect(series!.duration.sum).toBe(42)
    expect(series!.requestBytes.sum).toBe(10)
    expect(series!.responseBytes.count).toBe(2)
    expect(series!.attributes).toMatchObject({
      reporter: 'source',
      source_workload: 'productpage-v1',
      source_app: 'productpage',
      destination_service: 'reviews.default.svc.cluster.local',
      destination_service_name: 'reviews',
      destination_version: 'v1',
      request_protocol: 'http',
      response_code: '200',
      grpc_response_status: '',
      response_flags: '-',
      connection_security_policy: 'unknown',
    })
  })

  it('keep one series per response code, gRPC status, protocol and flags', () => {
    const metrics = new IstioRequestMetrics()
    const handle = metrics.destination(reviews)
    handle.record('http', 200, undefined, NO_RESPONSE_FLAGS, 1, 0, 0)
    handle.record('http', 503, undefined, responseFlagSet('UO'), 1, 0, 0)
    handle.record('http', 503, undefined, responseFlagSet('UF', 'URX'), 1, 0, 0)
    handle.record('grpc', 200, 14, NO_RESPONSE_FLAGS, 1, 0, 0)
    handle.record('http', 503, undefined, responseFlagSet('UO'), 1, 0, 0)
    const rows = [...metrics.series()].map((series) => [series.label('request_protocol'), series.label('response_code'), series.label('grpc_response_status'), series.label('response_flags'), series.count])
    expect(rows).toEqual([
      ['http', '200', '', '-', 1],
      ['http', '503', '', 'UO', 2],
      ['http', '503', '', 'UF,URX', 1],
      ['grpc', '200', '14', '-', 1],
    ])
  })

  it('give the same handle for the same destination labels', () => {
    const metrics = new IstioRequestMetrics()
    expect(metrics.destination(reviews)).toBe(metrics.destination({ ...reviews, endpointLabels: { ...reviews.endpointLabels } }))
    expect(metrics.destination(reviews)).not.toBe(metrics.destination({ ...reviews, endpointLabels: { app: 'reviews', version: 'v2' } }))
  })

  it('write a response code outside 0..999 as 0, and a gRPC status outside 0..16 as none', () => {
    const metrics = new IstioRequestMetrics()
    metrics.destination(reviews).record('grpc', 1200, 99, NO_RESPONSE_FLAGS, 1, 0, 0)
    const [series] = [...metrics.series()]
    expect(series!.label('response_code')).toBe('0')
    expect(series!.label('grpc_response_status')).toBe('')
  })

  it('count combinations beyond the series bound in one overflow series, as the OpenTelemetry SDK does', () => {
    const metrics = new IstioRequestMetrics({ maxSeries: 2 })
    const handle = metrics.destination(reviews)
    for (const code of [200, 201, 202, 203, 202]) handle.record('http', code, undefined, NO_RESPONSE_FLAGS, 1, 0, 0)
    expect(metrics.seriesCount).toBe(2)
    const all = [...metrics.series()]
    expect(all.map((series) => series.count)).toEqual([1, 1, 3])
    expect(all[2]!.attributes).toEqual({ reporter: 'source', otel_metric_overflow: 'true' })
  })

  it('share one overflow handle between destinations beyond the destination bound', () => {
    const metrics = new IstioRequestMetrics({ maxDestinations: 1 })
    metrics.destination(reviews).record('http', 200, undefined, NO_RESPONSE_FLAGS, 1, 0, 0)
    const other = metrics.destination({ service: 'ratings.default.svc.cluster.local' })
    expect(metrics.destination({ service: 'details.default.svc.cluster.local' })).toBe(other)
    other.record('http', 200, undefined, NO_RESPONSE_FLAGS, 1, 0, 0)
    expect([...metrics.series()].map((series) => series.label('otel_metric_overflow') ?? series.label('destination_service'))).toEqual(['reviews.default.svc.cluster.local', 'true'])
  })

  it('tell its observer of every observation, and nothing when it has none', () => {
    const metrics = new IstioRequestMetrics()
    const seen: number[] = []
    metrics.observer = (_series, durationMs) => seen.push(durationMs)
    const handle = metrics.destination(reviews)
    handle.record('http', 200, undefined, NO_RESPONSE_FLAGS, 7, 0, 0)
    metrics.observer = undefined
    handle.record('http', 200, undefined, NO_RESPONSE_FLAGS, 8, 0, 0)
    expect(seen).toEqual([7])
  })
})
