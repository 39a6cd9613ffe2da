export interface LatencySummary {
  readonly count: number
  readonly meanMs: number
  readonly p50Ms: number
  readonly p90Ms: number
  readonly p99Ms: number
  readonly p999Ms: number
  readonly maxMs: number
}

/** Nearest-rank percentiles; sorts a copy. */
export function summarize(latencies: ArrayLike<number>): LatencySummary {
  const count = latencies.length
  if (count === 0) return { count, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0 }
  const sorted = Float64Array.from(latencies).sort()
  let sum = 0
  for (const value of sorted) sum += value
  const rank = (quantile: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil(quantile * count) - 1))]!
  return {
    count,
    meanMs: round(sum / count),
    p50Ms: round(rank(0.5)),
    p90Ms: round(rank(0.9)),
    p99Ms: round(rank(0.99)),
    p999Ms: round(rank(0.999)),
    maxMs: round(sorted[count - 1]!),
  }
}

/** Microsecond precision keeps reports readable and stable. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

/** A growable list of numbers without per-item allocation. */
export class NumberList {
  private values = new Float64Array(1024)
  length = 0

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.length++] = value
  }

  view(): Float64Array {
    return this.values.subarray(0, this.length)
  }
}
