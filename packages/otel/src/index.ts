// @meshlet/otel: Istio's standard request metrics and Envoy-style cluster stats, counted in
// process, written as Prometheus text and exported through an OpenTelemetry meter. See README.md.

// Metrics
export {
  ISTIO_DEFAULT_BUCKETS,
  Histogram,
  ISTIO_REQUEST_LABELS,
  ISTIO_LABEL_DEFAULTS,
  CANONICAL_NAME_LABELS,
  CANONICAL_REVISION_LABELS,
  WORKLOAD_NAME_LABEL,
  sourceLabels,
  destinationLabels,
  canonicalService,
  canonicalRevision,
  RESPONSE_FLAG_MEANINGS,
  NO_RESPONSE_FLAGS,
  NO_FLAGS_TEXT,
  RESPONSE_FLAG_OF_REASON,
  withResponseFlag,
  hasResponseFlag,
  responseFlagList,
  responseFlagSet,
  formatResponseFlags,
  parseResponseFlags,
  isResponseFlag,
  responseFlagOfReason,
  DEFAULT_REQUEST_METRICS,
  OVERFLOW_LABEL,
  RequestSeries,
  DestinationSeries,
  IstioRequestMetrics,
  ClusterStats,
  ClusterStatsRegistry,
  DEFAULT_CLUSTER_STATS,
  PASSTHROUGH_CLUSTER,
  OVERFLOW_CLUSTER,
  CLUSTER_METRIC_PREFIX,
  clusterStatName,
  MeshMetrics,
  PairCache,
  NO_ENDPOINT,
} from './metrics/index.js'
export type {
  IstioRequestLabel,
  WorkloadIdentity,
  DestinationInput,
  SourceLabels,
  DestinationLabels,
  ResponseFlag,
  ResponseFlagSet,
  RequestProtocol,
  RequestMetricsOptions,
  RequestObserver,
  ClusterGauges,
  ClusterGaugeSource,
  MeshMetricsOptions,
  MetricFamily,
  ScalarSample,
  HistogramSample,
  LabelPairs,
} from './metrics/index.js'

// Prometheus text exposition
export { formatPrometheus, PROMETHEUS_CONTENT_TYPE, escapeLabelValue, escapeHelp, formatSampleValue } from './prometheus/index.js'

// OpenTelemetry export
export { exportToMeter, exportToGlobalMeter, MESHLET_METER_NAME } from './export/index.js'
export type { MeterExport } from './export/index.js'

// The telemetry layers of the outbound stack (spans and metrics of every call)
export { createTelemetryLayers, Tracing, otelGlobalsRegistered, MESHLET_TRACER_NAME, callResponseFlags, NO_ROUTE_DESCRIPTION } from './telemetry/index.js'
export type { TelemetryOptions, TelemetryLayers, OtelApi, DescribeRoute, RouteDescription } from './telemetry/index.js'
