#!/usr/bin/env node
// A rule change in a large mesh, under load: 1,000 VirtualServices × 10 routes (10,000 routes) and
// a DestinationRule per host, read from a file; 16 callers in a closed loop through mesh.fetch to a
// loopback upstream (in its own process), spread over every host; the file is rewritten with one
// weight changed and mesh.reload() swaps the new rules in. Reports how long the reload took (start
// to the new snapshot serving), and the latency of calls that overlapped it against the others.
//
//   pnpm build && node benchmarks/reload/run.mjs [--hosts 1000] [--reloads 5]
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createMesh } from 'meshlet'
import { generateRules } from '../rules/generate.mjs'

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const HOSTS = arg('hosts', 1000)
const RELOADS = arg('reloads', 5)
const CALLERS = 16

const upstream = fork(fileURLToPath(new URL('./upstream.child.mjs', import.meta.url)))
const port = await new Promise((resolve) => upstream.once('message', resolve))
const dir = mkdtempSync(join(tmpdir(), 'meshlet-reload-'))
const file = join(dir, 'rules.yaml')
writeFileSync(file, generateRules(HOSTS))

const endpoints = {}
for (let i = 0; i < HOSTS; i++) endpoints[`svc-${i}`] = ['v1', 'v2', 'v3'].map((version) => ({ address: '127.0.0.1', port, labels: { version } }))
const mesh = await createMesh({ files: [file], endpoints })

const calls = [] // [startMs, endMs]
let running = true
async function caller(id) {
  let n = id
  while (running) {
    const started = performance.now()
    const answer = await mesh.fetch(`http://svc-${(n * 7919) % HOSTS}/products/1`)
    await answer.arrayBuffer()
    calls.push([started, performance.now()])
    n += CALLERS
  }
}
const loops = Array.from({ length: CALLERS }, (_, id) => caller(id))
await new Promise((resolve) => setTimeout(resolve, 2000)) // warm up: pools, JIT

const reloads = []
for (let r = 0; r < RELOADS; r++) {
  await new Promise((resolve) => setTimeout(resolve, 1000))
  writeFileSync(file, generateRules(HOSTS).replace('weight: 90', `weight: ${80 - r}`))
  const generation = mesh.snapshot.generation
  const started = performance.now()
  const ok = await mesh.reload()
  const ended = performance.now()
  if (!ok || mesh.snapshot.generation === generation) throw new Error('the reload did not swap new rules in')
  reloads.push([started, ended])
}
await new Promise((resolve) => setTimeout(resolve, 1000))
running = false
await Promise.all(loops)
await mesh.close()
upstream.kill()
rmSync(dir, { recursive: true, force: true })

const overlaps = ([s, e]) => reloads.some(([rs, re]) => s < re && e > rs)
const during = calls.filter(overlaps).map(([s, e]) => e - s).sort((a, b) => a - b)
const outside = calls.filter((c) => !overlaps(c) && c[0] > reloads[0][0] - 5000).map(([s, e]) => e - s).sort((a, b) => a - b)
const pct = (list, p) => list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)] ?? NaN
const ms = (v) => `${v.toFixed(2)} ms`
const durations = reloads.map(([s, e]) => e - s).sort((a, b) => a - b)
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg()[0].toFixed(1)}; ${HOSTS} hosts × 10 routes, ${CALLERS} callers, ${RELOADS} reloads\n`)
console.log(`reload (rewrite → new rules serving): median ${ms(pct(durations, 50))}, max ${ms(durations.at(-1))}`)
console.log(`each reload, with the slowest call overlapping it: ${reloads.map(([rs, re]) => `${ms(re - rs)} (${ms(Math.max(0, ...calls.filter(([s, e]) => s < re && e > rs).map(([s, e]) => e - s)))})`).join(', ')}`)
console.log('(the first reload reads every document; later ones only those that changed: see the README)')
console.log(`calls overlapping a reload: ${during.length}, p50 ${ms(pct(during, 50))}, p99 ${ms(pct(during, 99))}, max ${ms(during.at(-1) ?? NaN)}`)
console.log(`other calls:                ${outside.length}, p50 ${ms(pct(outside, 50))}, p99 ${ms(pct(outside, 99))}, max ${ms(outside.at(-1) ?? NaN)}`)
