#!/usr/bin/env node
// What the mesh adds to one call, with the network taken out: mesh.request (dataplane rules.yaml:
// matches, a weighted route, timeout, retries with a per-try timeout, pool limits, outlier
// detection, LEAST_REQUEST) and undici's own `request()`, both over the same in-memory undici
// Dispatcher that answers every request on the next turn with a small JSON body. The difference is
// the mesh's own cost per call: CPU time, wall time and young-GC collections per 10k calls.
// Cases alternate in rounds; medians. Not a test: figures depend on the machine.
//
//   pnpm build && node --expose-gc benchmarks/dataplane/overhead.mjs [--concurrency 16] [--rounds 8] [--calls 20000]
//   node --expose-gc benchmarks/dataplane/overhead.mjs --ablations   (each slot emptied in turn: what it costs)
//   node --cpu-prof --cpu-prof-dir=/tmp/prof benchmarks/dataplane/overhead.mjs --only mesh --rounds 3
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { PerformanceObserver, constants, performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { request as undiciRequest } from 'undici'

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '8' },
    calls: { type: 'string', default: '20000' },
    only: { type: 'string' },
    ablations: { type: 'boolean', default: false },
  },
})
const concurrency = Number(values.concurrency)
const rounds = Number(values.rounds)
const callsPerRound = Number(values.calls)

const { upstream, createMesh } = await import('./in-memory-upstream.mjs')

const RULES = readFileSync(new URL('./rules.yaml', import.meta.url), 'utf8')
const meshWith = (layers) => createMesh({ yaml: RULES, endpoints: { items: [{ address: '10.0.0.1', port: 8080, labels: { version: 'v1' } }] }, layers })
const mesh = await meshWith(undefined)
const meshes = [mesh]

function drain(body) {
  return new Promise((resolve, reject) => {
    body.on('data', () => undefined)
    body.once('end', resolve)
    body.once('error', reject)
  })
}

const cases = [
  {
    name: 'undici.request',
    send: async () => {
      const { statusCode, body } = await undiciRequest('http://10.0.0.1:8080/items/1', { dispatcher: upstream })
      await drain(body)
      if (statusCode !== 200) throw new Error(`status ${statusCode}`)
    },
  },
  {
    name: 'mesh.request',
    send: async () => {
      const { statusCode, body } = await mesh.request('http://items:8080/items/1')
      await drain(body)
      if (statusCode !== 200) throw new Error(`status ${statusCode}`)
    },
  },
]

// With --ablations: the same mesh with one slot emptied at a time, to see what each layer costs.
if (values.ablations) {
  const pass = (next) => next
  const ablations = {
    'no route timeout': { timeout: pass },
    'no per-try timeout': { perTryTimeout: pass },
    'no retry layer': { retry: undefined },
    'no pool limits': { poolLimits: pass },
    'no outlier detection': { outlierDetection: pass },
    'no classifier': { classifier: pass },
    'no request event': { telemetry: pass },
  }
  for (const [name, layers] of Object.entries(ablations)) {
    const ablated = await meshWith(layers)
    meshes.push(ablated)
    cases.push({
      name: `mesh, ${name}`,
      send: async () => {
        const { statusCode, body } = await ablated.request('http://items:8080/items/1')
        await drain(body)
        if (statusCode !== 200) throw new Error(`status ${statusCode}`)
      },
    })
  }
}
const measured = cases.filter((c) => !values.only || c.name.includes(values.only))

async function run(send) {
  let scavenges = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges += 1
  })
  observer.observe({ entryTypes: ['gc'] })
  let left = callsPerRound
  const worker = async () => {
    while (left-- > 0) await send()
  }
  const cpuBefore = process.cpuUsage()
  const startedAt = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const wallNs = ((performance.now() - startedAt) * 1e6) / callsPerRound
  const cpu = process.cpuUsage(cpuBefore)
  await new Promise((resolve) => setImmediate(resolve))
  observer.disconnect()
  return { wallNs, cpuNs: ((cpu.user + cpu.system) * 1000) / callsPerRound, gcPer10k: (scavenges * 10_000) / callsPerRound }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]
const cpus = os.cpus()
console.log(`node ${process.version} · ${cpus.length} × ${cpus[0]?.model ?? 'CPU'} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`${rounds} rounds × ${callsPerRound} calls per case · concurrency ${concurrency} · in-memory upstream (no sockets)\n`)
for (const c of measured) await run(c.send) // warm-up
const results = new Map(measured.map((c) => [c.name, []]))
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < measured.length; i++) {
    const c = measured[(i + round) % measured.length]
    // No forced collection between rounds: a full GC here makes the next round re-warm (measured: 2.5× the CPU per call for 20k calls).
    results.get(c.name).push(await run(c.send))
  }
}
const minimum = (list) => Math.min(...list)
const rows = measured.map((c) => {
  const list = results.get(c.name)
  return { name: c.name, wallNs: median(list.map((r) => r.wallNs)), cpuNs: median(list.map((r) => r.cpuNs)), cpuMinNs: minimum(list.map((r) => r.cpuNs)), gcPer10k: median(list.map((r) => r.gcPer10k)) }
})
const width = Math.max(...rows.map((row) => row.name.length))
// The minimum over rounds is the least disturbed by other work on a shared machine.
for (const row of rows) console.log(`${row.name.padEnd(width)}  CPU ${(row.cpuNs / 1000).toFixed(2).padStart(6)} µs/call (min ${(row.cpuMinNs / 1000).toFixed(2).padStart(6)}) · wall ${(row.wallNs / 1000).toFixed(2).padStart(6)} · GC ${row.gcPer10k.toFixed(1).padStart(5)}/10k`)
const base = rows.find((r) => r.name === 'undici.request')
const meshRow = rows.find((r) => r.name === 'mesh.request')
if (base && meshRow) console.log(`\nmesh.request adds ${((meshRow.cpuNs - base.cpuNs) / 1000).toFixed(2)} µs CPU per call (min: ${((meshRow.cpuMinNs - base.cpuMinNs) / 1000).toFixed(2)}; ${((meshRow.cpuNs / base.cpuNs) * 100).toFixed(0)}% of undici), GC ×${(meshRow.gcPer10k / base.gcPer10k).toFixed(2)}`)
for (const m of meshes) await m.close()
