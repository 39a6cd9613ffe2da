/**
 * A cumulative histogram with fixed bucket bounds, as Prometheus and Envoy keep it: per bucket the
 * number of observations at most that bound, the sum and the count. Observing a value allocates
 * nothing; the counts are kept per bucket (not cumulative) and summed when read.
 */
export class Histogram {
  /** Upper bounds, ascending; an implicit last bucket takes everything above (+Inf). */
  readonly bounds: readonly number[]
  /** Observations per bucket: counts[i] for bounds[i-1] < v ≤ bounds[i]; the last entry is above every bound. */
  readonly counts: Float64Array
  sum = 0
  count = 0

  constructor(bounds: readonly number[]) {
    this.bounds = bounds
    this.counts = new Float64Array(bounds.length + 1)
  }

  observe(value: number): void {
    const bounds = this.bounds
    let index = 0
    // Few buckets (Istio's 19) and mostly small values: a forward scan beats a binary search.
    while (index < bounds.length && value > bounds[index]!) index++
    this.counts[index]! += 1
    this.sum += value
    this.count += 1
  }

  /** Observations at most each bound, then the total (the `+Inf` bucket). */
  cumulativeCounts(): number[] {
    const cumulative: number[] = new Array(this.counts.length)
    let running = 0
    for (let index = 0; index < this.counts.length; index++) cumulative[index] = running += this.counts[index]!
    return cumulative
  }
}
