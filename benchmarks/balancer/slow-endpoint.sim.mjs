#!/usr/bin/env node
// Ten endpoints, one twenty times slower, through the deterministic simulator: p50/p99/p99.9 per
// algorithm against the all-healthy baseline. Goals (issue 5): PEAK_EWMA p99 ≤ 1.5 × all-healthy
// p99, and better than ROUND_ROBIN and LEAST_REQUEST.
//   npx tsc -b packages/balancer && node benchmarks/balancer/slow-endpoint.sim.mjs
import { fileURLToPath } from 'node:url'
import { loadBalancer, machine, ms, printTable, writeLatencySvg } from './lib.mjs'

const { simulate } = await loadBalancer()

const REQUESTS = 200_000
const CONCURRENCY = 20
const SEED = 7
const healthy = { kind: 'logNormal', medianMs: 10, sigma: 0.3 }
const slow = { kind: 'scaled', profile: healthy, factor: 20 }
const endpoints = (withSlow) =>
  Array.from({ length: 10 }, (_, i) => ({ address: `10.0.0.${i + 1}`, port: 8080, latency: withSlow && i === 9 ? slow : healthy }))

const run = (algorithm, withSlow) =>
  simulate({ seed: SEED, requests: REQUESTS, concurrency: CONCURRENCY, destinations: [{ name: 'svc', loadBalancer: { algorithm }, endpoints: endpoints(withSlow) }] })

console.log(`slow endpoint, simulated: 10 endpoints lognormal(10 ms, 0.3), one ×20; ${REQUESTS.toLocaleString('en')} requests, concurrency ${CONCURRENCY}, seed ${SEED}`)
console.log(machine() + '\n')

const baseline = run('ROUND_ROBIN', false)
const rows = [['algorithm', 'p50', 'p99', 'p99.9', 'slow share', 'p99 / healthy p99']]
const series = [{ name: 'all healthy', ...baseline.latency }]
rows.push(['all healthy (any algorithm)', ms(baseline.latency.p50Ms), ms(baseline.latency.p99Ms), ms(baseline.latency.p999Ms), '', '1.00'])
const results = {}
for (const algorithm of ['ROUND_ROBIN', 'RANDOM', 'LEAST_REQUEST', 'PEAK_EWMA']) {
  const report = run(algorithm, true)
  results[algorithm] = report.latency
  series.push({ name: algorithm, ...report.latency })
  rows.push([
    algorithm,
    ms(report.latency.p50Ms),
    ms(report.latency.p99Ms),
    ms(report.latency.p999Ms),
    `${(report.destinations[0].endpoints[9].share * 100).toFixed(2)} %`,
    (report.latency.p99Ms / baseline.latency.p99Ms).toFixed(2),
  ])
}
printTable(rows)

const peak = results.PEAK_EWMA.p99Ms
const goals = [
  [`PEAK_EWMA p99 ≤ 1.5 × all-healthy p99 (${ms(1.5 * baseline.latency.p99Ms)})`, peak <= 1.5 * baseline.latency.p99Ms],
  ['PEAK_EWMA p99 < ROUND_ROBIN p99', peak < results.ROUND_ROBIN.p99Ms],
  ['PEAK_EWMA p99 < LEAST_REQUEST p99', peak < results.LEAST_REQUEST.p99Ms],
]
console.log('')
for (const [goal, met] of goals) console.log(`  ${met ? 'met   ' : 'MISSED'} ${goal}`)

const svg = fileURLToPath(new URL('./slow-endpoint-sim.svg', import.meta.url))
writeLatencySvg(svg, 'Ten endpoints, one 20× slower (simulated)', series)
console.log(`\n  plot: benchmarks/balancer/slow-endpoint-sim.svg`)
