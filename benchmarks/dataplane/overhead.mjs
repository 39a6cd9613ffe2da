#!/usr/bin/env node
// What the mesh adds to one call, with the network taken out: mesh.request (dataplane rules.yaml:
// matches, a weighted route, timeout, retries with a per-try timeout, pool limits, outlier
// detection, LEAST_REQUEST) and undici's own `request()`, both over the same in-memory undici
// Dispatcher that answers every request on the next turn with a small JSON body. The difference is
// the mesh's own cost per call: CPU time, wall time and young-GC collections per 10k calls.
// Cases alternate in rounds; medians. Not a test: figures depend on the machine.
//
//   pnpm build && node --expose-gc benchmarks/dataplane/overhead.mjs [--concurrency 16] [--rounds 8] [--calls 20000]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof benchmarks/dataplane/overhead.mjs --only mesh --rounds 3
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { PerformanceObserver, constants, performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Dispatcher, request as undiciRequest } from 'undici'
import { createMesh } from 'meshlet'

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '8' },
    calls: { type: 'string', default: '20000' },
    only: { type: 'string' },
  },
})
const concurrency = Number(values.concurrency)
const rounds = Number(values.rounds)
const callsPerRound = Number(values.calls)

const BODY = Buffer.from('{"id":1,"name":"item","price":10}')
const RAW_HEADERS = [Buffer.from('content-type'), Buffer.from('application/json'), Buffer.from('content-length'), Buffer.from(String(BODY.length)), Buffer.from('connection'), Buffer.from('keep-alive')]

/** An undici Dispatcher answering 200 with BODY on the next turn of the event loop, as a socket read would. */
class InMemoryUpstream extends Dispatcher {
  dispatch(options, handler) {
    setImmediate(() => {
      handler.onConnect?.(() => undefined)
      handler.onRequestSent?.()
      handler.onHeaders(200, RAW_HEADERS, () => undefined, 'OK')
      handler.onData(BODY)
      handler.onComplete([])
    })
    return true
  }
  close() {
    return Promise.resolve()
  }
  destroy() {
    return Promise.resolve()
  }
}
const upstream = new InMemoryUpstream()

// The mesh's transport asks its pool registry for an undici Pool per endpoint: hand it the in-memory one.
const { PoolRegistry } = await import(new URL('../../packages/meshlet/dist/transport/pools.js', import.meta.url).href)
PoolRegistry.prototype.get = () => upstream

const mesh = await createMesh({
  yaml: readFileSync(new URL('./rules.yaml', import.meta.url), 'utf8'),
  endpoints: { items: [{ address: '10.0.0.1', port: 8080, labels: { version: 'v1' } }] },
})

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
].filter((c) => !values.only || c.name.includes(values.only))

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
for (const c of cases) await run(c.send) // warm-up
const results = new Map(cases.map((c) => [c.name, []]))
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[(i + round) % cases.length]
    globalThis.gc?.()
    results.get(c.name).push(await run(c.send))
  }
}
const rows = cases.map((c) => {
  const list = results.get(c.name)
  return { name: c.name, wallNs: median(list.map((r) => r.wallNs)), cpuNs: median(list.map((r) => r.cpuNs)), gcPer10k: median(list.map((r) => r.gcPer10k)) }
})
for (const row of rows) console.log(`${row.name.padEnd(16)} wall ${(row.wallNs / 1000).toFixed(2).padStart(6)} µs/call · CPU ${(row.cpuNs / 1000).toFixed(2).padStart(6)} µs/call · GC ${row.gcPer10k.toFixed(1).padStart(5)}/10k`)
const base = rows.find((r) => r.name === 'undici.request')
const meshRow = rows.find((r) => r.name === 'mesh.request')
if (base && meshRow) console.log(`\nmesh.request adds ${((meshRow.cpuNs - base.cpuNs) / 1000).toFixed(2)} µs CPU per call (${((meshRow.cpuNs / base.cpuNs) * 100).toFixed(0)}% of undici), GC ×${(meshRow.gcPer10k / base.gcPer10k).toFixed(2)}`)
await mesh.close()
