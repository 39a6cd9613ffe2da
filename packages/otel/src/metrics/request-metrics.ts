import { ISTIO_DEFAULT_BUCKETS } from './buckets.js'
import type { LabelPairs, MetricFamily } from './families.js'
import { Histogram } from './histogram.js'
import { ISTIO_LABEL_DEFAULTS, destinationLabels, sourceLabels } from './labels.js'
import type { DestinationInput, DestinationLabels, SourceLabels, WorkloadIdentity } from './labels.js'
import { NO_RESPONSE_FLAGS, formatResponseFlags } from './response-flags.js'
import type { ResponseFlagSet } from './response-flags.js'

export type RequestProtocol = 'http' | 'grpc'

/**
 * Bounds on the label combinations kept. Like OpenTelemetry's SDK, which folds attribute sets
 * beyond its cardinality limit into one overflow set marked `otel.metric.overflow` (OpenTelemetry
 * metrics SDK specification, "Cardinality limits"), meshlet counts combinations beyond the bound in
 * one overflow series, so a flood of distinct destinations (passthrough calls to ever new hosts)
 * costs bounded memory and a bounded scrape. The bound is lower than the SDK's 2000 because an
 * Istio series is large: 25 labels, one counter and three histograms of 19 buckets, 67 Prometheus
 * lines of about 1 kB each; 1,000 series make a scrape of about 55 MB.
 */
export const DEFAULT_REQUEST_METRICS = {
  /** Label combinations (series) kept; further ones are counted in the overflow series. */
  maxSeries: 1_000,
  /** Destination handles kept; further destinations share one overflow handle. */
  maxDestinations: 1_000,
} as const

/** The label OpenTelemetry's SDK marks its overflow attribute set with, as a Prometheus label name. */
export const OVERFLOW_LABEL = 'otel_metric_overflow'

export interface RequestMetricsOptions {
  /** This process: the source_* labels. */
  readonly identity?: WorkloadIdentity | undefined
  /** Histogram bounds; Istio's (Envoy's default buckets) unless given. */
  readonly buckets?: readonly number[] | undefined
  readonly maxSeries?: number | undefined
  readonly maxDestinations?: number | undefined
}

/** Told of every observation while set (the OpenTelemetry export uses it for its histograms). */
export type RequestObserver = (series: RequestSeries, durationMs: number, requestBytes: number, responseBytes: number) => void

/** One label combination: the request counter and the three histograms. */
export class RequestSeries {
  readonly labels: LabelPairs
  count = 0
  readonly duration: Histogram
  readonly requestBytes: Histogram
  readonly responseBytes: Histogram
  #attributes: Readonly<Record<string, string>> | undefined

  constructor(labels: LabelPairs, buckets: readonly number[]) {
    this.labels = labels
    this.duration = new Histogram(buckets)
    this.requestBytes = new Histogram(buckets)
    this.responseBytes = new Histogram(buckets)
  }

  /** The labels as one frozen attribute object (OpenTelemetry), made once. */
  get attributes(): Readonly<Record<string, string>> {
    return (this.#attributes ??= Object.freeze(Object.fromEntries(this.labels)))
  }

  /** The value of one label. */
  label(name: string): string | undefined {
    for (const [key, value] of this.labels) if (key === name) return value
    return undefined
  }
}

/** gRPC status codes are 0..16; anything else is written as no status. */
const GRPC_STATUS_SLOTS = 18

/**
 * The series of one destination (service and endpoint labels). The caller keeps this handle (per
 * destination cluster and endpoint labels) and records each call on it with its code, gRPC status
 * and flags; recording a combination seen before allocates nothing.
 */
export class DestinationSeries {
  readonly labels: DestinationLabels
  readonly #owner: IstioRequestMetrics
  /** By protocol, code and gRPC status (one small integer), then by flags. */
  readonly #outcomes = new Map<number, Map<number, RequestSeries>>()
  #lastKey = -1
  #lastFlags = -1
  #last: RequestSeries | undefined

  constructor(owner: IstioRequestMetrics, labels: DestinationLabels) {
    this.#owner = owner
    this.labels = labels
  }

  /**
   * Counts one call: its protocol, the response code sent to the caller (0 when none was), the
   * gRPC status (undefined outside gRPC or when none came), its response flags, its duration in
   * milliseconds and the request and response body sizes in bytes.
   */
  record(
    protocol: RequestProtocol,
    responseCode: number,
    grpcStatus: number | undefined,
    flags: ResponseFlagSet,
    durationMs: number,
    requestBytes: number,
    responseBytes: number,
  ): void {
    const series = this.series(protocol, responseCode, grpcStatus, flags)
    series.count += 1
    series.duration.observe(durationMs)
    series.requestBytes.observe(requestBytes)
    series.responseBytes.observe(responseBytes)
    const observer = this.#owner.observer
    if (observer !== undefined) observer(series, durationMs, requestBytes, responseBytes)
  }

  /** The series of one outcome, made on first use (or the overflow series once the bound is reached). */
  series(protocol: RequestProtocol, responseCode: number, grpcStatus: number | undefined, flags: ResponseFlagSet): RequestSeries {
    const code = Number.isInteger(responseCode) && responseCode >= 0 && responseCode <= 999 ? responseCode : 0
    const grpc = grpcStatus !== undefined && Number.isInteger(grpcStatus) && grpcStatus >= 0 && grpcStatus <= 16 ? grpcStatus + 1 : 0
    const key = (code * GRPC_STATUS_SLOTS + grpc) * 2 + (protocol === 'grpc' ? 1 : 0)
    if (key === this.#lastKey && flags === this.#lastFlags) return this.#last!
    let byFlags = this.#outcomes.get(key)
    let series = byFlags?.get(flags)
    if (series === undefined) {
      series = this.#owner.newSeries(this, protocol, code, grpc === 0 ? undefined : grpc - 1, flags)
      if (series !== this.#owner.overflow) {
        if (byFlags === undefined) this.#outcomes.set(key, (byFlags = new Map()))
        byFlags.set(flags, series)
      }
    }
    this.#lastKey = key
    this.#lastFlags = flags
    this.#last = series
    return series
  }
}

/**
 * Istio's standard request metrics as a source-side reporter (`reporter="source"`): the request
 * count, duration, request size and response size, per label combination, counted in process.
 * Exporters read them with `families()` (Prometheus text, OpenTelemetry).
 */
export class IstioRequestMetrics {
  readonly source: SourceLabels
  readonly buckets: readonly number[]
  readonly maxSeries: number
  readonly maxDestinations: number
  /** The series every combination beyond `maxSeries` is counted in. */
  readonly overflow: RequestSeries
  /** See RequestObserver; undefined when nothing listens, which costs one check per call. */
  observer: RequestObserver | undefined
  readonly #destinations = new Map<string, DestinationSeries>()
  readonly #overflowDestination: DestinationSeries
  readonly #series: RequestSeries[] = []

  constructor(options: RequestMetricsOptions = {}) {
    this.source = sourceLabels(options.identity)
    this.buckets = Object.freeze([...(options.buckets ?? ISTIO_DEFAULT_BUCKETS)])
    this.maxSeries = options.maxSeries ?? DEFAULT_REQUEST_METRICS.maxSeries
    this.maxDestinations = options.maxDestinations ?? DEFAULT_REQUEST_METRICS.maxDestinations
    this.overflow = new RequestSeries(Object.freeze([['reporter', ISTIO_LABEL_DEFAULTS.reporter] as const, [OVERFLOW_LABEL, 'true'] as const]), this.buckets)
    this.#overflowDestination = new DestinationSeries(this, destinationLabels({ service: ISTIO_LABEL_DEFAULTS.unknown }))
  }

  /**
   * The handle of a destination; the same handle for the same labels. Building one computes its
   * labels: keep it (per cluster and endpoint labels) rather than asking for it on every call.
   */
  destination(input: DestinationInput): DestinationSeries {
    const labels = destinationLabels(input)
    const key = Object.values(labels).join('\u0000')
    let handle = this.#destinations.get(key)
    if (handle === undefined) {
      if (this.#destinations.size >= this.maxDestinations) return this.#overflowDestination
      handle = new DestinationSeries(this, labels)
      this.#destinations.set(key, handle)
    }
    return handle
  }

  /** Label combinations in use (the overflow series not included). */
  get seriesCount(): number {
    return this.#series.length
  }

  /** Every series with at least one call, the overflow series last when it has any. */
  *series(): IterableIterator<RequestSeries> {
    yield* this.#series
    if (this.overflow.count > 0) yield this.overflow
  }

  /** @internal Makes the series of a new combination, or answers the overflow series when full. */
  newSeries(destination: DestinationSeries, protocol: RequestProtocol, code: number, grpcStatus: number | undefined, flags: ResponseFlagSet): RequestSeries {
    if (this.#series.length >= this.maxSeries || destination === this.#overflowDestination) return this.overflow
    const source = this.source
    const target = destination.labels
    const labels: LabelPairs = Object.freeze([
      ['reporter', ISTIO_LABEL_DEFAULTS.reporter],
      ['source_workload', source.source_workload],
      ['source_canonical_service', source.source_canonical_service],
      ['source_canonical_revision', source.source_canonical_revision],
      ['source_workload_namespace', source.source_workload_namespace],
      ['source_principal', source.source_principal],
      ['source_app', source.source_app],
      ['source_version', source.source_version],
      ['source_cluster', source.source_cluster],
      ['destination_workload', target.destination_workload],
      ['destination_workload_namespace', target.destination_workload_namespace],
      ['destination_principal', target.destination_principal],
      ['destination_app', target.destination_app],
      ['destination_version', target.destination_version],
      ['destination_service', target.destination_service],
      ['destination_canonical_service', target.destination_canonical_service],
      ['destination_canonical_revision', target.destination_canonical_revision],
      ['destination_service_name', target.destination_service_name],
      ['destination_service_namespace', target.destination_service_namespace],
      ['destination_cluster', target.destination_cluster],
      ['request_protocol', protocol],
      ['response_code', String(code)],
      ['grpc_response_status', grpcStatus === undefined ? ISTIO_LABEL_DEFAULTS.noGrpcStatus : String(grpcStatus)],
      ['response_flags', formatResponseFlags(flags ?? NO_RESPONSE_FLAGS)],
      ['connection_security_policy', ISTIO_LABEL_DEFAULTS.connectionSecurityPolicy],
    ] as const)
    const series = new RequestSeries(labels, this.buckets)
    this.#series.push(series)
    return series
  }

  /** The four request metrics as families (Istio's names, help paraphrasing Istio's reference). */
  families(): MetricFamily[] {
    const all = [...this.series()]
    const histogram = (pick: (series: RequestSeries) => Histogram) =>
      all.map((series) => {
        const data = pick(series)
        return { labels: series.labels, bounds: data.bounds, cumulativeCounts: data.cumulativeCounts(), sum: data.sum, count: data.count }
      })
    return [
      {
        type: 'counter',
        name: 'istio_requests_total',
        help: 'Requests handled, counted once per call when it completes (Istio Request Count).',
        unit: '{request}',
        samples: all.map((series) => ({ labels: series.labels, value: series.count })),
      },
      {
        type: 'histogram',
        name: 'istio_request_duration_milliseconds',
        help: 'Duration of calls in milliseconds, from the call entering the mesh to its response (Istio Request Duration).',
        unit: 'ms',
        samples: histogram((series) => series.duration),
      },
      {
        type: 'histogram',
        name: 'istio_request_bytes',
        help: 'HTTP request body sizes in bytes (Istio Request Size).',
        unit: 'By',
        samples: histogram((series) => series.requestBytes),
      },
      {
        type: 'histogram',
        name: 'istio_response_bytes',
        help: 'HTTP response body sizes in bytes (Istio Response Size).',
        unit: 'By',
        samples: histogram((series) => series.responseBytes),
      },
    ]
  }
}
