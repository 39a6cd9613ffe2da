/**
 * Bucket upper bounds (inclusive) of Istio's request histograms. Istio does not set buckets of its
 * own: its stats filter records into Envoy histograms, which use Envoy's default buckets unless the
 * `sidecar.istio.io/statsHistogramBuckets` annotation overrides them (envoy
 * source/common/stats/histogram_impl.cc `HistogramSettingsImpl::defaultBuckets`). The same bounds
 * serve the duration in milliseconds and the two sizes in bytes, as in Istio.
 */
export const ISTIO_DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000,
])
