#!/usr/bin/env node
// What the telemetry layers cost a call, through real sockets: the same mesh (benchmarks/dataplane
// rules) three ways, interleaved in short rounds so drift on a shared machine hits all alike:
//   - `telemetry: false`: no telemetry layer (the baseline),
//   - telemetry on with @opentelemetry/api installed but no SDK registered: metrics counted in
//     process, no span made,
//   - telemetry on with the OpenTelemetry SDK (2.12.x) recording every span (a BatchSpanProcessor,
//     as production setups use, into an in-memory exporter) and a meter provider reading the metrics.
// Reports the client's CPU per call and the throughput, each as a ratio to the baseline (medians of
// per-round ratios). Goals (issue 11): no SDK ≤ 1 % throughput, full SDK ≤ 10 %.
//
//   pnpm build && node benchmarks/telemetry/layer-cost.mjs [--rounds 30] [--seconds 0.3] [--concurrency 16]
import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { createMesh } from 'meshlet'
import { closedLoop, median } from '../dataplane/load.mjs'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' }, seconds: { type: 'string', default: '0.3' }, concurrency: { type: 'string', default: '16' } } })
const rounds = Number(values.rounds)
const durationMs = Number(values.seconds) * 1000
const concurrency = Number(values.concurrency)

const { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } = await import('@opentelemetry/sdk-trace-base')
const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } = await import('@opentelemetry/sdk-metrics')

const child = fork(new URL('../dataplane/upstream.child.mjs', import.meta.url), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
const port = await new Promise((resolve) => child.once('message', (message) => resolve(message.port)))
const RULES = readFileSync(new URL('../dataplane/rules.yaml', import.meta.url), 'utf8')
const endpoints = { items: [{ address: '127.0.0.1', port, labels: { version: 'v1', app: 'items' } }] }

const spans = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans)] })
const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 10_000 })] })

const meshes = {
  'no telemetry layer': await createMesh({ yaml: RULES, endpoints, telemetry: false }),
  'telemetry, API, no SDK': await createMesh({ yaml: RULES, endpoints }),
  'telemetry, full SDK': await createMesh({ yaml: RULES, endpoints, telemetry: { tracerProvider, meterProvider } }),
}
const readAll = (body) => new Promise((resolve, reject) => {
  body.on('data', () => undefined)
  body.once('end', resolve)
  body.once('error', reject)
})
const clients = Object.entries(meshes).map(([name, mesh]) => ({
  name,
  send: async () => {
    const { statusCode, body } = await mesh.request('http://items:8080/items/1')
    await readAll(body)
    if (statusCode !== 200) throw new Error(`status ${statusCode}`)
  },
}))

const cpus = os.cpus()
console.log(`node ${process.version} · ${cpus.length} × ${cpus[0]?.model ?? 'CPU'} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`${rounds} rounds × ${values.seconds} s per case · concurrency ${concurrency} · upstream: node:http in its own process\n`)
for (const client of clients) await closedLoop(client.send, { concurrency, durationMs: 1000 })
const results = new Map(clients.map((c) => [c.name, []]))
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < clients.length; i++) {
    const client = clients[(i + round) % clients.length]
    const run = await closedLoop(client.send, { concurrency, durationMs })
    results.get(client.name).push({ throughput: (run.completed * 1000) / run.elapsedMs, cpuUs: run.cpuUsPerRequest })
    // The in-memory exporter keeps every span: let it go between rounds.
    spans.reset()
  }
}
const baseline = results.get('no telemetry layer')
for (const [name, runs] of results) {
  const throughputRatio = median(runs.map((r, i) => r.throughput / baseline[i].throughput))
  const cpuRatio = median(runs.map((r, i) => r.cpuUs / baseline[i].cpuUs))
  const addedCpu = median(runs.map((r, i) => r.cpuUs - baseline[i].cpuUs))
  console.log(`${name.padEnd(24)} ${Math.round(median(runs.map((r) => r.throughput))).toString().padStart(6)} req/s · CPU ${median(runs.map((r) => r.cpuUs)).toFixed(1).padStart(5)} µs/req · throughput ${(throughputRatio * 100).toFixed(1)}% · CPU ${(cpuRatio * 100).toFixed(1)}% (+${addedCpu.toFixed(1)} µs)`)
}
for (const mesh of Object.values(meshes)) await mesh.close()
await tracerProvider.shutdown()
await meterProvider.shutdown()
child.kill()
