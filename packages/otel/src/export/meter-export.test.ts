import { afterEach, describe, expect, it } from 'vitest'
import { metrics as otelMetrics } from '@opentelemetry/api'
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import type { HistogramMetricData, MetricData } from '@opentelemetry/sdk-metrics'
import { MeshMetrics } from '../metrics/mesh-metrics.js'
import { NO_RESPONSE_FLAGS, responseFlagSet } from '../metrics/response-flags.js'
import { exportToGlobalMeter } from './global-meter.js'
import { exportToMeter } from './meter-export.js'

/** A real SDK meter provider whose reader exports to memory when flushed. */
function sdk() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })
  const provider = new MeterProvider({ readers: [reader] })
  const collect = async (): Promise<MetricData[]> => {
    exporter.reset()
    await reader.forceFlush()
    return exporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics))
  }
  return { provider, collect }
}

function meshWithTraffic(): MeshMetrics {
  const metrics = new MeshMetrics({ identity: { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } } })
  return metrics
}

const V1 = { service: 'reviews.default.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v1' } }
const V2 = { service: 'reviews.default.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v2' } }

afterEach(() => otelMetrics.disable())

describe('export through an OpenTelemetry meter (real SDK)', () => {
  it("exports istio_requests_total per label combination with Istio's labels as attributes", async () => {
    const { provider, collect } = sdk()
    const metrics = meshWithTraffic()
    exportToMeter(metrics, provider.getMeter('meshlet'))
    const v1 = metrics.requests.destination(V1)
    const v2 = metrics.requests.destination(V2)
    for (let i = 0; i < 3; i++) v1.record('http', 200, undefined, NO_RESPONSE_FLAGS, 5, 0, 10)
    v2.record('http', 503, undefined, responseFlagSet('UO'), 1, 0, 0)
    const exported = await collect()
    const requests = exported.find((metric) => metric.descriptor.name === 'istio_requests_total')!
    expect(requests.dataPointType).toBe(DataPointType.SUM)
    const points = requests.dataPoints.map((point) => ({ version: point.attributes.destination_version, code: point.attributes.response_code, flags: point.attributes.response_flags, value: point.value }))
    expect(points).toEqual([
      { version: 'v1', code: '200', flags: '-', value: 3 },
      { version: 'v2', code: '503', flags: 'UO', value: 1 },
    ])
    expect(requests.dataPoints[0]!.attributes).toMatchObject({ reporter: 'source', source_workload: 'productpage-v1', destination_service: 'reviews.default.svc.cluster.local', connection_security_policy: 'unknown' })
    await provider.shutdown()
  })

  it("records the histograms with Istio's buckets while attached", async () => {
    const { provider, collect } = sdk()
    const metrics = meshWithTraffic()
    exportToMeter(metrics, provider.getMeter('meshlet'))
    const v1 = metrics.requests.destination(V1)
    v1.record('http', 200, undefined, NO_RESPONSE_FLAGS, 3, 100, 2_000)
    v1.record('http', 200, undefined, NO_RESPONSE_FLAGS, 30, 100, 2_000)
    const exported = await collect()
    const duration = exported.find((metric) => metric.descriptor.name === 'istio_request_duration_milliseconds') as HistogramMetricData
    expect(duration.descriptor.unit).toBe('ms')
    const point = duration.dataPoints[0]!
    expect(point.value.buckets.boundaries).toEqual([...metrics.requests.buckets])
    expect(point.value.count).toBe(2)
    expect(point.value.sum).toBe(33)
    // 3 ms lands in (1, 5], 30 ms in (25, 50].
    expect(point.value.buckets.counts.slice(0, 6)).toEqual([0, 0, 1, 0, 0, 1])
    expect(point.attributes.destination_version).toBe('v1')
    const responseBytes = exported.find((metric) => metric.descriptor.name === 'istio_response_bytes') as HistogramMetricData
    expect(responseBytes.descriptor.unit).toBe('By')
    expect(responseBytes.dataPoints[0]!.value.sum).toBe(4_000)
    await provider.shutdown()
  })

  it('exports cluster counters and gauges with cluster_name', async () => {
    const { provider, collect } = sdk()
    const metrics = meshWithTraffic()
    exportToMeter(metrics, provider.getMeter('meshlet'))
    const cluster = 'outbound|9080|v1|reviews.default.svc.cluster.local'
    metrics.clusters.cluster(cluster).upstreamRqRetry += 2
    metrics.clusters.addGaugeSource(() => [{ cluster, ejectionsActive: 1 }])
    const exported = await collect()
    const retries = exported.find((metric) => metric.descriptor.name === 'meshlet_cluster_upstream_rq_retry')!
    expect(retries.dataPoints).toMatchObject([{ attributes: { cluster_name: cluster }, value: 2 }])
    const ejections = exported.find((metric) => metric.descriptor.name === 'meshlet_cluster_outlier_detection_ejections_active')!
    expect(ejections.dataPointType).toBe(DataPointType.GAUGE)
    expect(ejections.dataPoints).toMatchObject([{ attributes: { cluster_name: cluster }, value: 1 }])
    await provider.shutdown()
  })

  it('stops observing once detached, and refuses a second export of the same metrics', async () => {
    const { provider, collect } = sdk()
    const metrics = meshWithTraffic()
    const attached = exportToMeter(metrics, provider.getMeter('meshlet'))
    expect(() => exportToMeter(metrics, provider.getMeter('other'))).toThrow(/already exported/)
    metrics.requests.destination(V1).record('http', 200, undefined, NO_RESPONSE_FLAGS, 1, 0, 0)
    attached.detach()
    expect(metrics.requests.observer).toBeUndefined()
    const requests = (await collect()).find((metric) => metric.descriptor.name === 'istio_requests_total')
    expect(requests?.dataPoints ?? []).toEqual([])
    await provider.shutdown()
  })
})

describe('export through the global meter', () => {
  it('attaches nothing while no SDK is registered: the global meter is the no-op meter', async () => {
    const metrics = meshWithTraffic()
    expect(await exportToGlobalMeter(metrics)).toBeUndefined()
    expect(metrics.requests.observer).toBeUndefined()
  })

  it('exports through the registered global meter provider', async () => {
    const { provider, collect } = sdk()
    otelMetrics.setGlobalMeterProvider(provider)
    const metrics = meshWithTraffic()
    const attached = await exportToGlobalMeter(metrics)
    expect(attached).toBeDefined()
    metrics.requests.destination(V2).record('http', 200, undefined, NO_RESPONSE_FLAGS, 1, 0, 0)
    const requests = (await collect()).find((metric) => metric.descriptor.name === 'istio_requests_total')!
    expect(requests.dataPoints.map((point) => point.attributes.destination_version)).toEqual(['v2'])
    attached!.detach()
    await provider.shutdown()
  })
})
