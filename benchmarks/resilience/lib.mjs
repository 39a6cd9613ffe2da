// Shared helpers of the resilience benchmarks: the built packages (run `npx tsc -b packages/resilience`
// first), cockatiel from the benchmarks package (the baseline; meshlet does not ship it), and an async measure.
import { createRequire } from 'node:module'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { percentile } from '../lib/measure.mjs'

const here = (path) => new URL(path, import.meta.url).href

export const resilience = await import(here('../../packages/resilience/dist/index.js'))
export const core = await import(here('../../packages/core/dist/index.js'))
export const cockatiel = createRequire(import.meta.url)('cockatiel')

export function machine() {
  const cpus = os.cpus()
  return `node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(2)}`
}

/**
 * Runs `call()` `opsPerRound` times one after another (each awaited), `warmup` rounds untimed then
 * `rounds` timed; returns the median and p99 of the per-call time in ns over the rounds. No forced
 * collection between rounds: after a full GC V8 shrinks the young generation, which makes the next
 * rounds of any allocating code look several times slower than it runs in a steady process.
 */
export async function measureAsync({ warmup = 3, rounds = 9, opsPerRound = 20_000, call }) {
  const round = async () => {
    for (let i = 0; i < opsPerRound; i++) await call()
  }
  for (let i = 0; i < warmup; i++) await round()
  const samples = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    await round()
    samples.push(((performance.now() - start) * 1e6) / opsPerRound)
  }
  samples.sort((a, b) => a - b)
  return { medianNs: percentile(samples, 50), p99Ns: percentile(samples, 99) }
}
