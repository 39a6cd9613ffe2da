import { MeshError } from '@meshlet/core'
import type { Attributes, BatchObservableCallback, Histogram as OtelHistogram, Meter, Observable } from '@opentelemetry/api'
import type { LabelPairs } from '../metrics/families.js'
import type { MeshMetrics } from '../metrics/mesh-metrics.js'
import type { RequestObserver } from '../metrics/request-metrics.js'

/** An export of a mesh's metrics through an OpenTelemetry meter; `detach` stops it. */
export interface MeterExport {
  detach(): void
}

/**
 * Exports a mesh's metrics through an OpenTelemetry meter, with Istio's names and labels as
 * attributes:
 * - counters and gauges (`istio_requests_total`, `meshlet_cluster_*`) as observable instruments,
 *   read from meshlet's own counts when the SDK collects, so they cost nothing per call;
 * - the three histograms as synchronous histograms with Istio's buckets (`advice`), since the
 *   OpenTelemetry API has no asynchronous histogram: each call is recorded on them while the
 *   export is attached, with the series' attribute object made once. Calls counted before the
 *   export was attached are in the counters but not in these histograms.
 * One export per MeshMetrics at a time.
 */
export function exportToMeter(metrics: MeshMetrics, meter: Meter): MeterExport {
  const requests = metrics.requests
  if (requests.observer !== undefined) {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'exportToMeter: these metrics are already exported through a meter; detach() that export first')
  }
  const families = metrics.families()
  const help = (name: string) => families.find((family) => family.name === name)?.help ?? name
  const histogram = (name: string, unit: string): OtelHistogram =>
    meter.createHistogram(name, { description: help(name), unit, advice: { explicitBucketBoundaries: [...requests.buckets] } })
  const duration = histogram('istio_request_duration_milliseconds', 'ms')
  const requestBytes = histogram('istio_request_bytes', 'By')
  const responseBytes = histogram('istio_response_bytes', 'By')
  const observer: RequestObserver = (series, durationMs, requestSize, responseSize) => {
    const attributes = series.attributes
    duration.record(durationMs, attributes)
    requestBytes.record(requestSize, attributes)
    responseBytes.record(responseSize, attributes)
  }

  const requestsTotal = meter.createObservableCounter('istio_requests_total', { description: help('istio_requests_total'), unit: '{request}' })
  const scalars = new Map<string, Observable>()
  for (const family of families) {
    if (family.type === 'histogram' || family.name === 'istio_requests_total') continue
    const options = { description: family.help, unit: family.unit }
    scalars.set(family.name, family.type === 'counter' ? meter.createObservableCounter(family.name, options) : meter.createObservableGauge(family.name, options))
  }
  const collect: BatchObservableCallback = (result) => {
    for (const series of requests.series()) result.observe(requestsTotal, series.count, series.attributes)
    for (const family of metrics.clusters.families()) {
      if (family.type === 'histogram') continue
      const instrument = scalars.get(family.name)
      if (instrument === undefined) continue
      for (const sample of family.samples) result.observe(instrument, sample.value, attributesOf(sample.labels))
    }
  }
  const observables = [requestsTotal, ...scalars.values()]
  meter.addBatchObservableCallback(collect, observables)
  requests.observer = observer

  let attached = true
  return {
    detach() {
      if (!attached) return
      attached = false
      meter.removeBatchObservableCallback(collect, observables)
      if (requests.observer === observer) requests.observer = undefined
    },
  }
}

function attributesOf(labels: LabelPairs): Attributes {
  const attributes: Attributes = {}
  for (const [name, value] of labels) attributes[name] = value
  return attributes
}
