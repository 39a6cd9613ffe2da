export { ISTIO_DEFAULT_BUCKETS } from './buckets.js'
export { Histogram } from './histogram.js'
export {
  ISTIO_REQUEST_LABELS,
  ISTIO_LABEL_DEFAULTS,
  CANONICAL_NAME_LABELS,
  CANONICAL_REVISION_LABELS,
  WORKLOAD_NAME_LABEL,
  sourceLabels,
  destinationLabels,
  canonicalService,
  canonicalRevision,
} from './labels.js'
export type { IstioRequestLabel, WorkloadIdentity, DestinationInput, SourceLabels, DestinationLabels } from './labels.js'
export {
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
} from './response-flags.js'
export type { ResponseFlag, ResponseFlagSet } from './response-flags.js'
export { DEFAULT_REQUEST_METRICS, OVERFLOW_LABEL, RequestSeries, DestinationSeries, IstioRequestMetrics } from './request-metrics.js'
export type { RequestProtocol, RequestMetricsOptions, RequestObserver } from './request-metrics.js'
export { ClusterStats, ClusterStatsRegistry, DEFAULT_CLUSTER_STATS, PASSTHROUGH_CLUSTER, OVERFLOW_CLUSTER, CLUSTER_METRIC_PREFIX, clusterStatName } from './cluster-stats.js'
export type { ClusterGauges, ClusterGaugeSource } from './cluster-stats.js'
export { MeshMetrics } from './mesh-metrics.js'
export { PairCache, NO_ENDPOINT } from './pair-cache.js'
export type { MeshMetricsOptions } from './mesh-metrics.js'
export type { MetricFamily, ScalarSample, HistogramSample, LabelPairs } from './families.js'
