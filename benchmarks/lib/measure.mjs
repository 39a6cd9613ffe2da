// Timing helpers: warm-up rounds first (JIT, caches), then several measured rounds; results are
// the median and the 99th percentile of the rounds, never a single run.
import { performance } from 'node:perf_hooks'

/**
 * Runs `round()` `warmup` times untimed, then `rounds` times timed. `opsPerRound` divides each
 * round's time, so a round of 1,000 decisions reports the time of one decision.
 * Returns times in nanoseconds per operation.
 */
export function measure({ warmup, rounds, opsPerRound = 1, round }) {
  // One full collection before the warm-up, not before every round: on a heap of hundreds of MB a
  // forced collection leaves background sweeping and cold caches that would land in the next round.
  globalThis.gc?.()
  for (let i = 0; i < warmup; i++) round()
  const samples = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    round()
    samples.push(((performance.now() - start) * 1e6) / opsPerRound)
  }
  samples.sort((a, b) => a - b)
  return { medianNs: percentile(samples, 50), p99Ns: percentile(samples, 99), rounds, opsPerRound }
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted, p) {
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

export function formatNs(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(0)} ns`
}
