#!/usr/bin/env node
// The gateway benchmark: the meshlet gateway (createGateway, listening) against a plain Node
// reverse proxy doing the same forwarding with undici, and against HAProxy (Debian) with the same
// routing, in the same run. Each proxy runs in its own process in front of one upstream (its own
// process too); this process is the load generator (undici Pool, closed loop). Rounds alternate
// between the proxies, the order rotating each round, and each is compared with the plain proxy
// of the same round. Not part of the tests: figures depend on the machine. Build first (pnpm build).
//
//   node benchmarks/gateway/run.mjs [--rounds 5] [--seconds 4] [--concurrency 16] [--no-haproxy]
import { fork } from 'node:child_process'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { Pool } from 'undici'
import { ensureHaproxy } from '../dataplane/haproxy.mjs'
import { closedLoop, median, percentile } from '../dataplane/load.mjs'
import { startRoutingHaproxy } from './haproxy-routing.mjs'

/** Round plan: five rounds of four seconds per proxy after a warm-up, 16 requests in flight. */
const DEFAULTS = { rounds: 5, seconds: 4, concurrency: 16, warmupSeconds: 2 }
/** The issue's goal: the gateway within 10% of the plain Node proxy. */
const GOAL_RATIO = 0.9

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: String(DEFAULTS.rounds) },
    seconds: { type: 'string', default: String(DEFAULTS.seconds) },
    concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
    'no-haproxy': { type: 'boolean', default: false },
  },
})
const rounds = Number(values.rounds)
const durationMs = Number(values.seconds) * 1000
const concurrency = Number(values.concurrency)
const log = (line) => console.log(line)
const cpus = os.cpus()
log(`node ${process.version} · ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'} · ${os.platform()} ${os.arch()} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
log(`${rounds} rounds × ${values.seconds} s per proxy · concurrency ${concurrency} · GET /items/1 with Host shop.example\n`)

const children = []
const upstream = await child(new URL('../dataplane/upstream.child.mjs', import.meta.url), [])
const targets = []
let haproxy
try {
  targets.push(target('plain Node proxy (undici)', (await child(new URL('./proxies.child.mjs', import.meta.url), ['plain', String(upstream.port)])).port))
  targets.push(target('meshlet gateway', (await child(new URL('./proxies.child.mjs', import.meta.url), ['meshlet', String(upstream.port)])).port))
  if (!values['no-haproxy']) {
    const binary = ensureHaproxy(log)
    if (binary) {
      haproxy = await startRoutingHaproxy(binary, upstream.port).catch((error) => log(`HAProxy left out: ${error.message}`))
      if (haproxy) {
        log(`${haproxy.version} on 127.0.0.1:${haproxy.port} (pid ${haproxy.pid})`)
        targets.push(target('HAProxy', haproxy.port))
      }
    }
  }
  for (const t of targets) await closedLoop(t.send, { concurrency, durationMs: DEFAULTS.warmupSeconds * 1000 })
  const results = new Map(targets.map((t) => [t.name, []]))
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length])
    for (const t of order) {
      globalThis.gc?.()
      const run = await closedLoop(t.send, { concurrency, durationMs })
      results.get(t.name).push({ throughput: (run.completed * 1000) / run.elapsedMs, p50Us: percentile(run.latenciesUs, 50), p99Us: percentile(run.latenciesUs, 99), errors: run.errors })
    }
    log(`round ${round + 1}/${rounds}: ${targets.map((t) => `${t.name} ${Math.round(results.get(t.name)[round].throughput)}/s`).join(' · ')}`)
  }
  report(results)
} finally {
  for (const t of targets) await t.close()
  if (haproxy) {
    await haproxy.stop()
    log(`stopped HAProxy (pid ${haproxy.pid})`)
  }
  for (const c of children) c.kill()
}

function report(results) {
  const rows = [['proxy', 'req/s (median)', 'p50', 'p99', 'errors']]
  for (const [name, runs] of results) rows.push([name, String(Math.round(median(runs.map((r) => r.throughput)))), us(median(runs.map((r) => r.p50Us))), us(median(runs.map((r) => r.p99Us))), String(runs.reduce((n, r) => n + r.errors, 0))])
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  log('')
  for (const row of rows) log('  ' + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '))
  const plain = results.get('plain Node proxy (undici)')
  log('')
  for (const [name, runs] of results) {
    if (runs === plain) continue
    // Paired per round: both ran back to back, so their ratio cancels most drift on a shared machine.
    const ratio = median(runs.map((r, i) => r.throughput / plain[i].throughput))
    const addedP99 = median(runs.map((r, i) => r.p99Us - plain[i].p99Us))
    log(`${name} / plain Node proxy: throughput ${(ratio * 100).toFixed(1)}%, p99 ${addedP99 >= 0 ? '+' : ''}${us(addedP99)}${name === 'meshlet gateway' ? ` (goal ≥ ${GOAL_RATIO * 100}%: ${ratio >= GOAL_RATIO ? 'met' : 'MISSED'})` : ''}`)
  }
}

function target(name, port) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency })
  return {
    name,
    send: async () => {
      const { statusCode, body } = await pool.request({ path: '/items/1', method: 'GET', headers: { host: 'shop.example' } })
      await body.arrayBuffer()
      if (statusCode !== 200) throw new Error(`status ${statusCode}`)
    },
    close: () => pool.close(),
  }
}

function child(url, args) {
  const forked = fork(url, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  children.push(forked)
  return new Promise((resolve, reject) => {
    forked.once('error', reject)
    forked.once('exit', (code) => reject(new Error(`${url.pathname} exited with code ${code}`)))
    forked.once('message', ({ port }) => resolve({ port }))
  })
}

function us(value) {
  return Math.abs(value) >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(0)} µs`
}
