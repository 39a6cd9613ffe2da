#!/usr/bin/env node
// The main demo (`pnpm demo`): starts a bookinfo-style system on loopback ports (productpage →
// reviews v1/v2/v3 → ratings, Express and Fastify services, each with its own in-process mesh)
// behind a meshlet ingress gateway, sends traffic in through the gateway for a few seconds while a
// live table shows which reviews version
// answered, the observed split against the configured one, the faults, retries, errors and
// latency, then stops everything it started and exits.
//
//   node examples/bookinfo/run.mjs [--duration 10] [--concurrency 8] [--rate 200]
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { configuredFaults, configuredResilience, configuredSplit } from './configured.mjs'
import { RULES_DIR, startBookinfo } from './system.mjs'
import { createScreen, renderTable } from './table.mjs'
import { Tally } from './tally.mjs'
import { runTraffic } from './traffic.mjs'

/** Demo defaults: about ten seconds of traffic at a rate two shared cores handle comfortably. */
const DEMO_DEFAULTS = { durationSeconds: 10, concurrency: 8, requestsPerSecond: 200 }

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: String(DEMO_DEFAULTS.durationSeconds) },
    concurrency: { type: 'string', default: String(DEMO_DEFAULTS.concurrency) },
    rate: { type: 'string', default: String(DEMO_DEFAULTS.requestsPerSecond) },
  },
})
const durationMs = positive(values.duration, '--duration') * 1000
const concurrency = Math.round(positive(values.concurrency, '--concurrency'))
const intervalMs = (1000 * concurrency) / positive(values.rate, '--rate')

const system = await startBookinfo()
const { client, gateway, ingress, endpoints } = system
const ports = (list) => list.map((e) => `${e.labels.version ?? ''}:${e.port}`).join(' ')
console.log(`rules   ${RULES_DIR}`)
console.log(`started productpage ${ports(endpoints.productpage)} · reviews ${ports(endpoints.reviews)} · ratings ${ports(endpoints.ratings)} (127.0.0.1)`)
console.log(`ingress meshlet gateway ${gateway.config.name} on ${ingress.url} (Gateway port 80)\n`)

const tally = new Tally()
gateway.on('request', (event) => {
  if (event.tries > 1) tally.retriedCalls += 1
})
gateway.on('gatewayRequest', (event) => tally.addIngress(event))
const configured = {
  split: configuredSplit(client),
  faults: configuredFaults(client),
  resilience: configuredResilience(gateway),
  ingress: `${gateway.config.name} → ${gateway.explain({ method: 'GET', url: 'http://bookinfo.example/productpage' }).selected?.host ?? 'nothing'}`,
}
const screen = createScreen(process.stdout)
const startedAt = performance.now()
const progress = () => ({ elapsedMs: Math.min(durationMs, performance.now() - startedAt), durationMs })

const stop = new AbortController()
const onSignal = () => stop.abort()
process.once('SIGINT', onSignal)
process.once('SIGTERM', onSignal)
const deadline = setTimeout(() => stop.abort(), durationMs)
const refresh = setInterval(() => screen.update(renderTable(tally, configured, progress())), screen.refreshMs)

try {
  await runTraffic({ ingress, concurrency, intervalMs, signal: stop.signal, onResult: (result) => tally.add(result) })
} finally {
  clearInterval(refresh)
  clearTimeout(deadline)
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  screen.final(renderTable(tally, configured, progress()))
  await system.close()
}
console.log('\nstopped every service and mesh the demo started')

function positive(text, name) {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${name} must be a positive number, not "${text}"`)
    process.exit(2)
  }
  return value
}
