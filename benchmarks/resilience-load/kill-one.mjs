#!/usr/bin/env node
// Issue 4 §7, benchmark (a): one of three endpoints killed (SIGKILL) during a 10-second load, with
// the route retrying on `reset,connect-failure` and outlier detection on the DestinationRule. Each
// endpoint is a process of its own on loopback, so the kill resets the connections in flight and
// refuses new ones, as a crashed pod does. Prints the success rate (goal ≥ 99.9 %), how many calls
// were retried and why, and when the dead endpoint was ejected. Not a test: bounded (about 11 s),
// loopback only; the figures depend on the machine.
//
//   npx tsc -b packages/meshlet && node benchmarks/resilience-load/kill-one.mjs [--seconds 10] [--kill-at 3] [--concurrency 16]
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { closedLoop, machine, meshlet, outcomeOf, startEndpoint } from './lib.mjs'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'kill-at': { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
  },
})
const durationMs = Number(values.seconds) * 1000
const killAtMs = Number(values['kill-at']) * 1000
const concurrency = Number(values.concurrency)
/** The issue's goal for this scenario. */
const GOAL_SUCCESS_PERCENT = 99.9

const RULES = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: catalog }
spec:
  hosts: [catalog]
  http:
  - route: [{ destination: { host: catalog } }]
    retries: { attempts: 2, retryOn: "reset,connect-failure" }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: catalog }
spec:
  host: catalog
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 30s }
`

console.log(machine())
console.log(`3 endpoints (one process each) · closed loop, ${concurrency} calls in flight, ${values.seconds} s · endpoint 2 killed at ${values['kill-at']} s`)
console.log('route: retries { attempts: 2, retryOn: reset,connect-failure } · outlierDetection { consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 30s }\n')

const endpoints = await Promise.all([startEndpoint(), startEndpoint(), startEndpoint()])
const victim = endpoints[1]
const victimId = `127.0.0.1:${victim.port}`
const mesh = await meshlet.createMesh({ yaml: RULES, endpoints: { catalog: endpoints.map((endpoint) => endpoint.address) } })

const startedAt = performance.now()
const since = () => performance.now() - startedAt
let killedAt
const retries = { total: 0, byOutcome: new Map(), afterEjection: new Map() }
const giveUps = new Map()
const ejections = []
let retriedCalls = 0
let triesTotal = 0
mesh.on('retry', (event) => {
  retries.total += 1
  retries.byOutcome.set(event.outcome, (retries.byOutcome.get(event.outcome) ?? 0) + 1)
  if (ejections.length > 0) retries.afterEjection.set(event.outcome, (retries.afterEjection.get(event.outcome) ?? 0) + 1)
})
mesh.on('giveUp', (event) => giveUps.set(`${event.reason} (${event.outcome})`, (giveUps.get(`${event.reason} (${event.outcome})`) ?? 0) + 1))
mesh.on('endpointEjected', (event) => ejections.push({ atMs: since(), ...event }))
mesh.on('request', (event) => {
  triesTotal += event.tries
  if (event.tries > 1) retriedCalls += 1
})

const killTimer = setTimeout(() => {
  killedAt = since()
  victim.kill()
}, killAtMs)

const perSecond = []
let lastCompleted = 0
const run = await closedLoop({
  concurrency,
  durationMs,
  send: () => mesh.fetch('http://catalog/items/1').then(outcomeOf),
  onSecond: (second, completed) => {
    perSecond.push(`${second}s ${completed - lastCompleted}`)
    lastCompleted = completed
  },
})
clearTimeout(killTimer)
await mesh.close()
const counts = await Promise.all(endpoints.filter((endpoint) => endpoint !== victim).map((endpoint) => endpoint.count()))
for (const endpoint of endpoints) endpoint.stop()

const succeeded = run.outcomes.get('200') ?? 0
const successPercent = (100 * succeeded) / run.completed
const failures = [...run.outcomes].filter(([label]) => label !== '200')
console.log(`calls                 ${run.completed} in ${(run.elapsedMs / 1000).toFixed(1)} s (${Math.round((run.completed * 1000) / run.elapsedMs)}/s)`)
console.log(`per second            ${perSecond.join(' · ')}`)
console.log(`succeeded             ${succeeded} = ${successPercent.toFixed(3)} %  (goal ≥ ${GOAL_SUCCESS_PERCENT} %: ${successPercent >= GOAL_SUCCESS_PERCENT ? 'ok' : 'MISSED'})`)
console.log(`failed                ${failures.length === 0 ? 'none' : failures.map(([label, n]) => `${n} × ${label}`).join(', ')}`)
console.log(`calls retried         ${retriedCalls} (${retries.total} retries: ${[...retries.byOutcome].map(([outcome, n]) => `${n} after ${outcome}`).join(', ') || 'none'}); tries per call ${(triesTotal / run.completed).toFixed(4)}`)
console.log(`gave up               ${giveUps.size === 0 ? 'never' : [...giveUps].map(([why, n]) => `${n} × ${why}`).join(', ')}`)
console.log(`killed                endpoint ${victimId} (pid ${victim.pid}) at ${(killedAt / 1000).toFixed(3)} s`)
for (const ejection of ejections) {
  console.log(`ejected               ${ejection.endpoint} (${ejection.reason}) ${(ejection.atMs - (killedAt ?? 0)).toFixed(1)} ms after the kill, for ${ejection.ejectionTimeMs / 1000} s`)
}
if (ejections.length === 0) console.log('ejected               nothing')
// Retries after the ejection follow tries sent to the dead endpoint before it was ejected: reset
// in flight, or refused while they waited for a new connection.
console.log(`after the ejection    ${retries.afterEjection.size === 0 ? 'no retries' : [...retries.afterEjection].map(([outcome, n]) => `${n} retries after ${outcome}`).join(', ')}`)
console.log(`survivors received    ${counts.join(' + ')} requests`)
process.exit(0)
