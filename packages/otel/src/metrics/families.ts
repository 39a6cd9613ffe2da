/**
 * What the exporters read: every metric as a family of samples, in a fixed order. Built on
 * demand (a scrape, an OpenTelemetry collection), never on the request path.
 */

/** Label names and values in a fixed order (the order they are written in). */
export type LabelPairs = ReadonlyArray<readonly [name: string, value: string]>

export interface ScalarSample {
  readonly labels: LabelPairs
  readonly value: number
}

export interface HistogramSample {
  readonly labels: LabelPairs
  /** Upper bounds, ascending (the `le` values, without +Inf). */
  readonly bounds: readonly number[]
  /** Observations at most each bound, then the total (`+Inf`); one longer than `bounds`. */
  readonly cumulativeCounts: readonly number[]
  readonly sum: number
  readonly count: number
}

interface FamilyBase {
  /** Prometheus name, e.g. `istio_requests_total`. */
  readonly name: string
  readonly help: string
  /** UCUM unit for OpenTelemetry (`ms`, `By`, `{request}`). */
  readonly unit: string
}

export type MetricFamily =
  | (FamilyBase & { readonly type: 'counter' | 'gauge'; readonly samples: readonly ScalarSample[] })
  | (FamilyBase & { readonly type: 'histogram'; readonly samples: readonly HistogramSample[] })
