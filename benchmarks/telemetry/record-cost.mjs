#!/usr/bin/env node
// Cost of counting a call in @meshlet/otel's metrics, and whether it allocates.
//
//   pnpm build && node --expose-gc benchmarks/telemetry/record-cost.mjs
//
// Allocation is shown two ways over millions of calls: the garbage collections that ran (a young
// generation scavenge comes every few MB allocated, so none in 2 million calls means under a few
// bytes a call) and the heap growth over the loop (meaningful only when no collection ran; a growth
// that does not scale with the number of calls is the JIT's, not the calls').
// An optional argument sets the number of calls (default 2,000,000).
import os from 'node:os'
import { PerformanceObserver, performance } from 'node:perf_hooks'
import { MeshMetrics, NO_RESPONSE_FLAGS, formatPrometheus, responseFlagSet } from '@meshlet/otel'

if (globalThis.gc === undefined) {
  console.error('run with node --expose-gc')
  process.exit(1)
}

const CALLS = Number(process.argv[2] ?? 2_000_000)
const identity = { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } }
const destinations = [
  { service: 'reviews.default.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v1' } },
  { service: 'reviews.default.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v2' } },
  { service: 'reviews.default.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v3' } },
  { service: 'ratings.default.svc.cluster.local', endpointLabels: { app: 'ratings', version: 'v1' } },
]
// Mostly 200s, some overflow, connect failures after retries, timeouts: 16 outcomes cycled.
const NONE = NO_RESPONSE_FLAGS
const OUTCOMES = [
  ...Array.from({ length: 12 }, () => [200, NONE]),
  [503, responseFlagSet('UO')],
  [503, responseFlagSet('UF', 'URX')],
  [504, responseFlagSet('UT')],
  [404, responseFlagSet('NR')],
]
const durations = Float64Array.from({ length: 1024 }, (_, i) => 0.3 + ((i * 7919) % 2000) / 10)

/** Start times of every garbage collection (performance.now() scale), delivered asynchronously. */
const collectionTimes = []
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collectionTimes.push(entry.startTime)
})
observer.observe({ entryTypes: ['gc'] })

async function run(name, calls, body) {
  globalThis.gc()
  const heapBefore = process.memoryUsage().heapUsed
  const start = performance.now()
  body()
  const end = performance.now()
  const elapsedMs = end - start
  const heapAfter = process.memoryUsage().heapUsed
  // gc entries arrive asynchronously; count those that started inside the timed loop.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const gcs = collectionTimes.filter((time) => time >= start && time <= end).length
  return {
    name,
    nsPerCall: ((elapsedMs * 1e6) / calls).toFixed(1),
    collections: gcs,
    heapGrowthKB: gcs === 0 ? Math.round((heapAfter - heapBefore) / 1024) : 'n/a (a collection ran)',
  }
}

const metrics = new MeshMetrics({ identity })
const handles = destinations.map((destination) => metrics.requests.destination(destination))
// Every combination once, so the timed loops only meet known ones.
for (const handle of handles) for (const [code, flags] of OUTCOMES) handle.record('http', code, undefined, flags, 1, 0, 0)

const rows = []
// Warm-up (JIT) before each timed loop.
const heldHandle = () => {
  for (let i = 0; i < CALLS; i++) {
    const outcome = OUTCOMES[i & 15]
    handles[i & 3].record('http', outcome[0], undefined, outcome[1], durations[i & 1023], 0, 512)
  }
}
heldHandle()
rows.push(await run('record on a held handle, known labels', CALLS, heldHandle))

const lookupEachCall = () => {
  for (let i = 0; i < CALLS / 10; i++) {
    const outcome = OUTCOMES[i & 15]
    metrics.requests.destination(destinations[i & 3]).record('http', outcome[0], undefined, outcome[1], durations[i & 1023], 0, 512)
  }
}
lookupEachCall()
rows.push(await run('destination() looked up on every call', CALLS / 10, lookupEachCall))

const clusterCounters = () => {
  const stats = metrics.clusters.cluster('outbound|9080|v1|reviews.default.svc.cluster.local')
  for (let i = 0; i < CALLS; i++) {
    stats.upstreamRqTotal++
    stats.recordResponse(OUTCOMES[i & 15][0])
  }
}
clusterCounters()
rows.push(await run('cluster stats: a try and its response', CALLS, clusterCounters))

// New combinations: what the first call of a label combination costs.
// As many as the default bound allows (DEFAULT_REQUEST_METRICS.maxSeries).
const fresh = new MeshMetrics({ identity })
const NEW = fresh.requests.maxSeries
rows.push(
  await run(`first call of ${NEW} new combinations`, NEW, () => {
    for (let i = 0; i < NEW; i++) fresh.requests.destination({ service: `svc-${i % 100}.default.svc.cluster.local`, endpointLabels: { version: `v${i}` } }).record('http', 200, undefined, NONE, 1, 0, 0)
  }),
)

// Scrapes at the bound: the first renders each series' labels, later ones reuse them.
const scrapes = []
let text = ''
for (let i = 0; i < 3; i++) {
  const scrapeStart = performance.now()
  text = formatPrometheus(fresh.families())
  scrapes.push((performance.now() - scrapeStart).toFixed(0))
}

observer.disconnect()
const cpus = os.cpus()
console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(1)}\n`)
console.table(rows)
console.log(`scrape at the bound: ${fresh.requests.seriesCount} series (4 metrics, histograms of 19 buckets), ${(text.length / 1e6).toFixed(1)} MB of text; three scrapes took ${scrapes.join(', ')} ms`)
