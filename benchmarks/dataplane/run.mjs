#!/usr/bin/env node
// The data-plane benchmark: mesh.request against direct undici.request and mesh.fetch against
// global fetch (like for like) to the same loopback upstream (its own process), and the same traffic through a local HAProxy as a sidecar
// hop. Closed loop, same concurrency for every client, rounds alternating between the clients
// (the order rotates each round) so that drift on a shared machine hits all of them alike.
// Not part of the tests: figures depend on the machine. Build first (pnpm build).
//
//   node benchmarks/dataplane/run.mjs [--rounds 6] [--seconds 5] [--concurrency 16] [--no-haproxy] [--only mesh]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof benchmarks/dataplane/run.mjs --only mesh --rounds 2
import { fork } from 'node:child_process'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { fetchClient, meshClients, undiciClient } from './clients.mjs'
import { ensureHaproxy, startHaproxy } from './haproxy.mjs'
import { closedLoop, median, percentile } from './load.mjs'

/** Round plan: six rounds of five seconds per client after a short warm-up, 16 requests in flight. */
const DEFAULTS = { rounds: 6, seconds: 5, concurrency: 16, warmupSeconds: 2 }
/** The targets of issue 3 §8: mesh throughput ≥ 97% of direct undici, p99 added ≤ 50 µs. */
const TARGETS = { throughputRatio: 0.97, addedP99Us: 50 }

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: String(DEFAULTS.rounds) },
    seconds: { type: 'string', default: String(DEFAULTS.seconds) },
    concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
    'no-haproxy': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
})
const rounds = Number(values.rounds)
const durationMs = Number(values.seconds) * 1000
const concurrency = Number(values.concurrency)
const log = (line) => console.log(line)

const cpus = os.cpus()
log(`node ${process.version} · ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'} · ${os.platform()} ${os.arch()} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
log(`${rounds} rounds × ${values.seconds} s per client · concurrency ${concurrency} · upstream: node:http in its own process\n`)

const upstream = await startUpstream()
const clients = []
let haproxy
try {
  clients.push(undiciClient(upstream.port), ...(await meshClients(upstream.port)), fetchClient(upstream.port))
  if (!values['no-haproxy']) {
    const binary = ensureHaproxy(log)
    if (binary) {
      haproxy = await startHaproxy(binary, upstream.port).catch((error) => log(`HAProxy left out: ${error.message}`))
      if (haproxy) {
        log(`${haproxy.version} on 127.0.0.1:${haproxy.port} (pid ${haproxy.pid})`)
        clients.push(undiciClient(haproxy.port, 'undici → HAProxy'))
      }
    }
  }
  const measured = values.only ? clients.filter((c) => c.name.includes(values.only)) : clients

  for (const client of measured) await closedLoop(client.send, { concurrency, durationMs: DEFAULTS.warmupSeconds * 1000 })
  const results = new Map(measured.map((c) => [c.name, []]))
  for (let round = 0; round < rounds; round++) {
    const order = measured.map((_, i) => measured[(i + round) % measured.length])
    for (const client of order) {
      // No forced collection per round: a full GC makes the next round re-warm (code and caches),
      // which on short rounds costs more than the round measures.
      const run = await closedLoop(client.send, { concurrency, durationMs })
      results.get(client.name).push({
        throughput: (run.completed * 1000) / run.elapsedMs,
        p50Us: percentile(run.latenciesUs, 50),
        p99Us: percentile(run.latenciesUs, 99),
        cpuUs: run.cpuUsPerRequest,
        scavengesPer10k: run.scavengesPer10k,
        errors: run.errors,
      })
    }
    log(`round ${round + 1}/${rounds}: ${measured.map((c) => `${c.name} ${Math.round(results.get(c.name)[round].throughput)}/s`).join(' · ')}`)
  }
  report(results)
} finally {
  for (const client of clients) await client.close()
  if (haproxy) {
    await haproxy.stop()
    log(`stopped HAProxy (pid ${haproxy.pid})`)
  }
  upstream.stop()
}

function report(results) {
  const rows = [['client', 'req/s (median)', 'p50', 'p99', 'CPU/req', 'GC/10k', 'errors']]
  for (const [name, runs] of results) {
    rows.push([name, String(Math.round(median(runs.map((r) => r.throughput)))), us(median(runs.map((r) => r.p50Us))), us(median(runs.map((r) => r.p99Us))), us(median(runs.map((r) => r.cpuUs))), median(runs.map((r) => r.scavengesPer10k)).toFixed(1), String(runs.reduce((n, r) => n + r.errors, 0))])
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  log('')
  for (const row of rows) log('  ' + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '))

  const direct = results.get('undici Pool')
  const paired = (client, baseline) => ({
    // Paired per round: each round ran both clients back to back, so their ratio cancels most drift.
    ratio: median(client.map((r, i) => r.throughput / baseline[i].throughput)),
    addedP50Us: median(client.map((r, i) => r.p50Us - baseline[i].p50Us)),
    addedP99Us: median(client.map((r, i) => r.p99Us - baseline[i].p99Us)),
    cpuRatio: median(client.map((r, i) => r.cpuUs / baseline[i].cpuUs)),
    addedCpuUs: median(client.map((r, i) => r.cpuUs - baseline[i].cpuUs)),
  })
  const meshRequest = results.get('mesh.request')
  log('')
  if (meshRequest && direct) {
    const { ratio, addedP50Us, addedP99Us, addedCpuUs, cpuRatio } = paired(meshRequest, direct)
    log(`mesh.request / undici throughput: ${(ratio * 100).toFixed(1)}% (target ≥ ${TARGETS.throughputRatio * 100}%) ${ratio >= TARGETS.throughputRatio ? 'ok' : 'MISSED'}`)
    log(`p99 added by the mesh:            ${us(addedP99Us)} (target ≤ ${TARGETS.addedP99Us} µs) ${addedP99Us <= TARGETS.addedP99Us ? 'ok' : 'MISSED'}; p50 added ${us(addedP50Us)}`)
    log(`client CPU per request, mesh.request vs undici: +${us(addedCpuUs)} (${(cpuRatio * 100).toFixed(0)}%)`)
  }
  const meshFetch = results.get('mesh.fetch')
  const globalFetch = results.get('global fetch')
  if (meshFetch && globalFetch) {
    const { ratio, addedP99Us, cpuRatio } = paired(meshFetch, globalFetch)
    log(`mesh.fetch / global fetch throughput: ${(ratio * 100).toFixed(1)}%, p99 added ${us(addedP99Us)}, client CPU per request ${(cpuRatio * 100).toFixed(0)}%`)
  }
  if (meshFetch && direct) log(`mesh.fetch / undici throughput: ${(paired(meshFetch, direct).ratio * 100).toFixed(1)}%`)
  const sidecar = results.get('undici → HAProxy')
  if (sidecar && direct) {
    const hop = paired(sidecar, direct)
    log(`HAProxy hop / undici throughput: ${(hop.ratio * 100).toFixed(1)}%, p50 added ${us(hop.addedP50Us)}, p99 added ${us(hop.addedP99Us)}`)
  }
}

function us(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(0)} µs`
}

function startUpstream() {
  const child = fork(new URL('./upstream.child.mjs', import.meta.url), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('message', ({ port }) => resolve({ port, stop: () => child.kill() }))
  })
}
