#!/usr/bin/env node
// Ring hash and maglev: the share of keys that move when one of N endpoints leaves or joins
// (ideal 1/N), how evenly keys spread, and the cost of a lookup and of building the table.
//   npx tsc -b packages/balancer && node --expose-gc benchmarks/balancer/consistent-hash.mjs
import { formatNs, loadBalancer, machine, measureNs, printTable } from './lib.mjs'

const { createBalancer } = await loadBalancer()

const KEYS = 100_000
const ALGORITHMS = [
  ['ring hash (min 1024)', { kind: 'ringHash', minimumRingSize: 1024 }],
  ['maglev (65537)', { kind: 'maglev', tableSize: 65_537 }],
]
const config = (algorithm) => ({ algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'header', name: 'x-user' }, algorithm } })
const endpoints = (count) => Array.from({ length: count }, (_, i) => ({ address: `10.1.${i >> 8}.${i & 255}`, port: 8080 }))
const keys = Array.from({ length: KEYS }, (_, i) => `user-${i}`)

function owners(algorithm, list) {
  const balancer = createBalancer(config(algorithm), list)
  return keys.map((key) => balancer.pick({ header: () => key }).address)
}

function moved(before, after) {
  let count = 0
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) count++
  return count / before.length
}

console.log(`consistent hash: ${KEYS.toLocaleString('en')} keys`)
console.log(machine() + '\n')

const movement = [['algorithm', 'N', 'one of N leaves (ideal 1/N)', 'one joins (ideal 1/(N+1))', 'min share × N', 'max share × N']]
for (const [name, algorithm] of ALGORITHMS) {
  for (const count of [5, 10, 50, 100]) {
    const list = endpoints(count + 1)
    const base = owners(algorithm, list.slice(0, count))
    const leave = owners(algorithm, list.slice(0, count - 1))
    const join = owners(algorithm, list)
    const shares = new Map()
    for (const owner of base) shares.set(owner, (shares.get(owner) ?? 0) + 1)
    const spread = [...shares.values()].map((n) => (n / KEYS) * count)
    movement.push([
      name,
      count,
      `${(moved(base, leave) * 100).toFixed(1)} % (${(100 / count).toFixed(1)} %)`,
      `${(moved(base, join) * 100).toFixed(1)} % (${(100 / (count + 1)).toFixed(1)} %)`,
      Math.min(...spread).toFixed(2),
      Math.max(...spread).toFixed(2),
    ])
  }
}
console.log('key movement and spread (min/max share × N: 1.00 is a perfectly even spread)')
printTable(movement)

const cost = [['algorithm', 'endpoints', 'lookup (hash + find, best round)', 'build (best round)']]
for (const [name, algorithm] of ALGORITHMS) {
  for (const count of [10, 1_000]) {
    const list = endpoints(count)
    const balancer = createBalancer(config(algorithm), list)
    let index = 0
    const context = { header: () => keys[index++ % KEYS] }
    const lookup = measureNs({ warmup: 3, rounds: 9, ops: 50_000, round: () => { for (let i = 0; i < 50_000; i++) balancer.pick(context) } })
    // Building happens on every endpoint or health change: measured through an ejection toggle.
    const build = measureNs({
      warmup: 2,
      rounds: 7,
      ops: 1,
      round: () => {
        balancer.setEjected(list[0], true)
        balancer.pick(context)
        balancer.setEjected(list[0], false)
        balancer.pick(context)
      },
    })
    cost.push([name, count.toLocaleString('en'), formatNs(lookup.bestNs), formatNs(build.bestNs / 2)])
  }
}
console.log('\nlookup and build cost')
printTable(cost)
