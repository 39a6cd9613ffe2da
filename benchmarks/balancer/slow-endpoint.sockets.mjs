#!/usr/bin/env node
// Ten loopback HTTP servers in a child process, one of them twenty times slower, driven through
// the balancer over real keep-alive sockets: p50/p99/p99.9 per algorithm against all-healthy.
// Goals (issue 5): PEAK_EWMA p99 ≤ 1.5 × all-healthy p99, better than ROUND_ROBIN and LEAST_REQUEST.
//   npx tsc -b packages/balancer && node benchmarks/balancer/slow-endpoint.sockets.mjs [requests]
import { fork } from 'node:child_process'
import { Agent, request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { loadBalancer, machine, ms, percentiles, printTable, writeLatencySvg } from './lib.mjs'

const { createBalancer } = await loadBalancer()

const REQUESTS = Number(process.argv[2] ?? 4_000)
const CONCURRENCY = 20
// Each configuration runs this many times, interleaved with the others, and the latencies are
// pooled: a hiccup of the shared machine then weighs on every algorithm alike.
const REPEATS = 3
const FAST_MEDIAN_MS = 10
const SLOW_FACTOR = 20

// Ten fast servers and one slow one; a run uses nine fast plus the slow, or the ten fast.
const child = fork(fileURLToPath(new URL('./servers.child.mjs', import.meta.url)), [
  JSON.stringify([...new Array(10).fill(FAST_MEDIAN_MS), FAST_MEDIAN_MS * SLOW_FACTOR]),
])
const ports = await new Promise((resolve) => child.once('message', (message) => resolve(message.ports)))
const fast = ports.slice(0, 10).map((port) => ({ address: '127.0.0.1', port }))
const slow = { address: '127.0.0.1', port: ports[10] }

async function run(algorithm, endpoints, latencies) {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity })
  const balancer = createBalancer({ algorithm }, endpoints)
  let slowTries = 0
  let sent = 0
  const client = async () => {
    while (sent < REQUESTS) {
      sent++
      const endpoint = balancer.pick()
      if (endpoint === slow) slowTries++
      balancer.onStart(endpoint)
      const started = performance.now()
      await new Promise((resolve, reject) => {
        request({ host: endpoint.address, port: endpoint.port, path: '/', agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
          .on('error', reject)
          .end()
      })
      const elapsed = performance.now() - started
      balancer.onFinish(endpoint, elapsed)
      latencies.push(elapsed)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, client))
  agent.destroy()
  return slowTries
}

console.log(`slow endpoint, real sockets: 10 loopback servers lognormal(${FAST_MEDIAN_MS} ms, 0.3), one ×${SLOW_FACTOR}; ${REPEATS} × ${REQUESTS.toLocaleString('en')} requests per algorithm (pooled), concurrency ${CONCURRENCY}`)
console.log(machine() + '\n')

// Warm-up (JIT, loopback connections), not measured.
await run('ROUND_ROBIN', fast, [])
const configurations = [
  ['all healthy (ROUND_ROBIN)', 'ROUND_ROBIN', fast],
  ...['ROUND_ROBIN', 'RANDOM', 'LEAST_REQUEST', 'PEAK_EWMA'].map((algorithm) => [algorithm, algorithm, [...fast.slice(0, 9), slow]]),
]
const pooled = configurations.map(() => ({ latencies: [], slowTries: 0 }))
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const [index, [, algorithm, endpoints]] of configurations.entries()) pooled[index].slowTries += await run(algorithm, endpoints, pooled[index].latencies)
}
const results = Object.fromEntries(configurations.map(([name], index) => [name, { ...percentiles(pooled[index].latencies), slowShare: pooled[index].slowTries / (REQUESTS * REPEATS) }]))
const baseline = results['all healthy (ROUND_ROBIN)']
const rows = [['algorithm', 'p50', 'p99', 'p99.9', 'slow share', 'p99 / healthy p99']]
const series = []
for (const [name] of configurations) {
  const result = results[name]
  series.push({ name: name === 'all healthy (ROUND_ROBIN)' ? 'all healthy' : name, ...result })
  rows.push([name, ms(result.p50Ms), ms(result.p99Ms), ms(result.p999Ms), name === 'all healthy (ROUND_ROBIN)' ? '' : `${(result.slowShare * 100).toFixed(2)} %`, (result.p99Ms / baseline.p99Ms).toFixed(2)])
}
child.disconnect()
printTable(rows)

const peak = results.PEAK_EWMA.p99Ms
console.log('')
for (const [goal, met] of [
  [`PEAK_EWMA p99 ≤ 1.5 × all-healthy p99 (${ms(1.5 * baseline.p99Ms)})`, peak <= 1.5 * baseline.p99Ms],
  ['PEAK_EWMA p99 < ROUND_ROBIN p99', peak < results.ROUND_ROBIN.p99Ms],
  ['PEAK_EWMA p99 < LEAST_REQUEST p99', peak < results.LEAST_REQUEST.p99Ms],
]) console.log(`  ${met ? 'met   ' : 'MISSED'} ${goal}`)

writeLatencySvg(fileURLToPath(new URL('./slow-endpoint-sockets.svg', import.meta.url)), 'Ten loopback servers, one 20× slower (real sockets)', series)
console.log('\n  plot: benchmarks/balancer/slow-endpoint-sockets.svg')
