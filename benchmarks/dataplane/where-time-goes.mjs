#!/usr/bin/env node
// Where the client's CPU time per request goes, by part, from a CPU profile of run.mjs with one
// client. Profile the unbundled build so each function keeps its file (the bundle puts undici and
// meshlet on the same lines):
//
//   node --conditions=unbundled --cpu-prof --cpu-prof-dir=/tmp/prof-mesh benchmarks/dataplane/run.mjs --only mesh.request --rounds 6 --seconds 1 --no-haproxy
//   node benchmarks/dataplane/where-time-goes.mjs /tmp/prof-mesh 31      # 31 = the CPU/req run.mjs printed, in µs
//
// Shares of busy time (idle and start-up excluded) are turned into µs per request with that figure.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const [dir, cpuUsArg] = process.argv.slice(2)
if (dir === undefined) throw new Error('usage: where-time-goes.mjs <profile dir> [CPU µs per request]')
const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'))
const cpuUs = Number(cpuUsArg ?? 0)

/** The part a function belongs to, by its file (first match wins). */
const PARTS = [
  ['socket writes (native)', (f) => f.url === '' && /^(writeLatin1String|writeUtf8String|writev|writeBuffer)$/.test(f.functionName)],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['promise reactions and ticks', (f) => f.functionName === 'runMicrotasks' || f.url.startsWith('node:internal/process/')],
  ['undici: connection, HTTP/1 parser', (f) => /undici\/lib\/(dispatcher|core|llhttp)\//.test(f.url)],
  ['undici: request() API and body stream', (f) => f.url.includes('undici')],
  ['meshlet: entry points, URL, request/response conversion', (f) => /packages\/meshlet\/dist\/(fetch|mesh|propagation|call-context)/.test(f.url)],
  ['meshlet: router, fault, mirror, local replies (rules lookup included)', (f) => /packages\/meshlet\/dist\/(router|fault|mirror|local-reply|wiring)|packages\/rules\//.test(f.url)],
  ['meshlet: transport (dispatch, headers, body)', (f) => f.url.includes('packages/meshlet/dist/transport')],
  ['resilience: timeouts, retry, pool limits, outlier detection, classifier', (f) => f.url.includes('packages/resilience/')],
  ['balancer and endpoints', (f) => /packages\/(balancer|discovery)\//.test(f.url)],
  ['telemetry (metrics, cluster stats)', (f) => /packages\/otel\/|packages\/meshlet\/dist\/telemetry/.test(f.url)],
  ['core: call context, try state, cancellation', (f) => f.url.includes('packages/core/')],
  ['meshlet: other', (f) => f.url.includes('packages/meshlet/')],
  ['Node streams and events', (f) => /^node:(internal\/streams|events|stream)/.test(f.url)],
  ['benchmark harness', (f) => f.url.includes('benchmarks/')],
  ['other Node internals (net, timers, buffers, ...)', () => true],
]

const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
const selfUs = new Map()
for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0))
const byPart = new Map(PARTS.map(([name]) => [name, 0]))
let busy = 0
for (const [id, us] of selfUs) {
  const frame = nodes.get(id).callFrame
  if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue
  // Module loading at start-up is not per request.
  if (/node:internal\/modules|compileSourceTextModule|wrapSafe/.test(`${frame.url} ${frame.functionName}`)) continue
  busy += us
  const part = PARTS.find(([, test]) => test(frame))[0]
  byPart.set(part, byPart.get(part) + us)
}
console.log(`| part | share | ${cpuUs > 0 ? 'µs per request |' : ''}`)
console.log(`| --- | ---: | ${cpuUs > 0 ? '---: |' : ''}`)
for (const [part, us] of [...byPart].filter(([, us]) => us > 0).sort((a, b) => b[1] - a[1])) {
  const share = us / busy
  console.log(`| ${part} | ${(share * 100).toFixed(1)}% | ${cpuUs > 0 ? `${(share * cpuUs).toFixed(1)} |` : ''}`)
}
