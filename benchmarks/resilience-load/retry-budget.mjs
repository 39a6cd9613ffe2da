#!/usr/bin/env node
// Issue 4 §7, benchmark (b): a dependency failing 100 % (every request answered 503, in a process
// of its own on loopback), called through the mesh by 50 callers in a closed loop, with the route
// retrying 5xx twice, without and with a DestinationRule retryBudget. Prints upstream requests per
// caller request (goal ≤ 1.2 with the budget) next to what Envoy's budget formula allows. Not a
// test: bounded (3 s per case), loopback only.
//
//   npx tsc -b packages/meshlet && node benchmarks/resilience-load/retry-budget.mjs [--seconds 3] [--concurrency 50]
import { parseArgs } from 'node:util'
import { closedLoop, machine, meshlet, outcomeOf, startEndpoint } from './lib.mjs'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '50' } } })
const durationMs = Number(values.seconds) * 1000
const concurrency = Number(values.concurrency)
const GOAL_TRIES_PER_CALL = 1.2

function rules(trafficPolicy) {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: inventory }
spec:
  hosts: [inventory]
  http:
  - route: [{ destination: { host: inventory } }]
    retries: { attempts: 2, retryOn: "5xx" }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: inventory }
spec:
  host: inventory
  trafficPolicy: ${trafficPolicy}
`
}

const CASES = [
  { name: 'no retry budget', trafficPolicy: '{ loadBalancer: { simple: ROUND_ROBIN } }', budget: undefined },
  { name: 'retryBudget 20 %, minRetryConcurrency 3', trafficPolicy: '{ retryBudget: { percent: 20, minRetryConcurrency: 3 } }', budget: { percent: 20, min: 3 } },
  { name: 'retryBudget 10 %, minRetryConcurrency 3', trafficPolicy: '{ retryBudget: { percent: 10, minRetryConcurrency: 3 } }', budget: { percent: 10, min: 3 } },
]

console.log(machine())
console.log(`a dependency answering 503 to everything (its own process) · ${concurrency} callers in a closed loop, ${values.seconds} s per case`)
console.log('route: retries { attempts: 2, retryOn: 5xx } (25 ms full-jitter backoff)\n')

const endpoint = await startEndpoint(503)
try {
  for (const { name, trafficPolicy, budget } of CASES) {
    const mesh = await meshlet.createMesh({ yaml: rules(trafficPolicy), endpoints: { inventory: [endpoint.address] } })
    const gaveUp = new Map()
    mesh.on('giveUp', (event) => gaveUp.set(event.reason, (gaveUp.get(event.reason) ?? 0) + 1))
    const before = await endpoint.count()
    const run = await closedLoop({ concurrency, durationMs, send: () => mesh.fetch('http://inventory/stock').then(outcomeOf) })
    await mesh.close()
    const tries = (await endpoint.count()) - before
    const perCall = tries / run.completed
    const verdict = budget === undefined ? '' : `  (goal ≤ ${GOAL_TRIES_PER_CALL}: ${perCall <= GOAL_TRIES_PER_CALL ? 'ok' : 'MISSED'})`
    console.log(`${name}`)
    console.log(`  ${run.completed} calls, ${tries} upstream requests: ${perCall.toFixed(3)} per call${verdict}`)
    console.log(`  answers ${[...run.outcomes].map(([label, n]) => `${n} × ${label}`).join(', ')}; retries not made: ${[...gaveUp].map(([reason, n]) => `${n} × ${reason}`).join(', ')}`)
    if (budget !== undefined) {
      // Envoy (circuit_breaker.proto RetryBudget): retries in flight ≤ max(min_retry_concurrency,
      // budget_percent × (active + pending requests)), where active requests include retries. If a
      // retry cost as long as a first try and waited no backoff, a binding budget would make
      // retries that share p of the tries in flight: 1 / (1 − p) tries per call. A retry holds its
      // slot through its backoff as well (as in Envoy), which lowers the figure.
      const p = budget.percent / 100
      const inFlight = Math.max(budget.min, Math.floor(p * concurrency))
      console.log(`  Envoy's formula: ≤ max(${budget.min}, ${budget.percent} % × ${concurrency} in flight) = ${inFlight} retries in flight; ≤ 1 / (1 − ${p}) = ${(1 / (1 - p)).toFixed(3)} tries per call without backoff`)
    }
    console.log('')
  }
} finally {
  endpoint.stop()
}
process.exit(0)
