#!/usr/bin/env node
// Cost of one pick (and of a pick + onStart + onFinish cycle) per algorithm at 10, 1,000 and
// 10,000 endpoints, in rounds of 50,000 picks. The best round is the figure (the machine is
// shared: slower rounds also measure other work); the median round is shown beside it.
// Goal (issue 5): ≤ 200 ns per pick at 1,000 endpoints. The balancer reads a cheap counter clock
// here so the figures are the balancer's own; the cost of the system clock (which PEAK_EWMA reads
// once per pick unless the caller passes `nowMs`) is printed separately.
//   npx tsc -b packages/balancer && node --expose-gc benchmarks/balancer/picker-cost.mjs
import { fileURLToPath } from 'node:url'
import { formatNs, loadBalancer, machine, measureNs, printTable } from './lib.mjs'

const { createBalancer } = await loadBalancer()

const SIZES = [10, 1_000, 10_000]
const PICKS_PER_ROUND = 50_000
const TARGET_NS = 200

const hashKey = (kind) => ({ algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'header', name: 'x-user' }, algorithm: { kind } } })
const ALGORITHMS = [
  ['ROUND_ROBIN', { algorithm: 'ROUND_ROBIN' }, false],
  ['ROUND_ROBIN, weighted', { algorithm: 'ROUND_ROBIN' }, true],
  ['RANDOM', { algorithm: 'RANDOM' }, false],
  ['RANDOM, weighted', { algorithm: 'RANDOM' }, true],
  ['LEAST_REQUEST (default)', { algorithm: 'LEAST_REQUEST' }, false],
  ['LEAST_REQUEST, weighted', { algorithm: 'LEAST_REQUEST' }, true],
  ['PEAK_EWMA', { algorithm: 'PEAK_EWMA' }, false],
  ['ring hash (header key)', hashKey('ringHash'), false],
  ['maglev (header key)', hashKey('maglev'), false],
]

const endpoints = (count, weighted) =>
  Array.from({ length: count }, (_, i) => ({ address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 8080, weight: weighted ? 1 + (i % 4) : 1 }))

/** A clock that costs nothing to read and moves 1 µs per read, so time-based metrics still decay. */
function counterClock() {
  let now = 0
  return { now: () => (now += 0.001), setTimeout: () => ({}), clearTimeout: () => {} }
}

const users = Array.from({ length: 4096 }, (_, i) => `user-${i * 7919}`)

export const title = `balancer picker cost (${PICKS_PER_ROUND.toLocaleString('en')} picks per round)`

export function run() {
  const rows = []
  for (const size of SIZES) {
    for (const [name, config, weighted] of ALGORITHMS) {
      const list = endpoints(size, weighted)
      const balancer = createBalancer(config, list, { clock: counterClock() })
      let index = 0
      const context = { header: () => users[index & 4095] }
      const pickOnly = measureNs({
        warmup: 3,
        rounds: 11,
        ops: PICKS_PER_ROUND,
        round: () => {
          for (let i = 0; i < PICKS_PER_ROUND; i++) {
            index++
            balancer.pick(context)
          }
        },
      })
      const cycle = measureNs({
        warmup: 2,
        rounds: 5,
        ops: PICKS_PER_ROUND,
        round: () => {
          for (let i = 0; i < PICKS_PER_ROUND; i++) {
            index++
            const endpoint = balancer.pick(context)
            balancer.onStart(endpoint)
            balancer.onFinish(endpoint, 10)
          }
        },
      })
      rows.push({ name: `${name} × ${size.toLocaleString('en')}`, size, ...pickOnly, cycleNs: cycle.bestNs, target: size === 1_000 ? { ns: TARGET_NS, text: `≤ ${TARGET_NS} ns` } : undefined })
    }
  }
  return rows
}

function clockCost() {
  const reads = 1_000_000
  return measureNs({ warmup: 2, rounds: 9, ops: reads, round: () => { let sink = 0; for (let i = 0; i < reads; i++) sink += performance.now(); return sink } }).bestNs
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(title)
  console.log(machine() + (globalThis.gc ? '' : ' (run with --expose-gc for steadier figures)') + '\n')
  const rows = run()
  let missed = 0
  const table = [['algorithm × endpoints', 'pick (best round)', 'pick (median round)', 'pick+start+finish (best)', 'goal (best round)']]
  for (const row of rows) {
    const verdict = row.target === undefined ? '' : row.bestNs <= row.target.ns ? 'met' : 'MISSED'
    if (verdict === 'MISSED') missed++
    table.push([row.name, formatNs(row.bestNs), formatNs(row.medianNs), formatNs(row.cycleNs), row.target === undefined ? '' : `${row.target.text} ${verdict}`])
  }
  printTable(table)
  console.log(`\n  system clock read (performance.now): ${formatNs(clockCost())}; PEAK_EWMA pays one per pick and one per onFinish unless the caller passes nowMs`)
  if (missed > 0) console.log(`  ${missed} goal(s) missed on this machine`)
}
