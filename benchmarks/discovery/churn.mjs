#!/usr/bin/env node
// Issue 10 §4: churn of 1,000 endpoints per second across 10,000 endpoints, under load. The
// endpoints are loopback addresses (127.1.x.y, ...) all answered by one server in a child process,
// so every endpoint meshlet may pick is real and answers 200; the child also hosts the fake API
// server (Kubernetes: 100 EndpointSlices of 100 endpoints, each change a slice update) or writes the
// WorkloadEntries to the real etcd (each change a put). This process runs only the mesh and its
// closed-loop load: first a quiet phase (no churn) as the baseline, then the churn phase. Printed:
// calls and failed calls (goal 0), calls per second, CPU of this process (% of one core), heap used
// after a full GC, and event-loop delay.
//
//   npx tsc -b && node --expose-gc benchmarks/discovery/churn.mjs [--seconds 20] [--endpoints 10000] [--rate 1000] [--concurrency 16] [--only kubernetes|etcd]
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { closedLoop, getter, machine, meshlet, putFleetServiceEntry, sleep, startCluster, testing } from './lib.mjs'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    endpoints: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    only: { type: 'string' },
  },
})
const seconds = Number(values.seconds)
const endpoints = Number(values.endpoints)
const rate = Number(values.rate)
const concurrency = Number(values.concurrency)

console.log(machine())
console.log(`${endpoints} endpoints, ${rate} endpoint changes per second, closed-loop load of ${concurrency}, ${seconds} s per phase`)

/** One phase of load: what it cost this process. */
async function phase(label, mesh, url, during) {
  globalThis.gc?.()
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const cpuBefore = process.cpuUsage()
  const startedAt = performance.now()
  const load = closedLoop(getter(mesh, url), concurrency)
  const changes = await during(seconds * 1000)
  await load.stop()
  const wallMs = performance.now() - startedAt
  const cpu = process.cpuUsage(cpuBefore)
  delay.disable()
  globalThis.gc?.()
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100
  console.log(
    `  ${label.padEnd(9)} ${String(load.stats.ok + load.stats.failed).padStart(7)} calls, ${String(load.stats.failed).padStart(3)} failed ${JSON.stringify(load.stats.reasons)}, ` +
      `${Math.round((load.stats.ok / wallMs) * 1000)} calls/s, CPU ${cpuPercent.toFixed(0)} % of a core, heap ${heapMb.toFixed(0)} MB, ` +
      `event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms${changes === undefined ? '' : `, ${changes} endpoint changes`}`,
  )
}

async function run(name, cluster, mesh, url, churnStart) {
  console.log(`\n${name}`)
  await phase('quiet', mesh, url, (ms) => sleep(ms))
  await phase('churn', mesh, url, async (ms) => {
    await churnStart()
    await sleep(ms)
    return (await cluster.call('churn-stop')).changes
  })
}

if (values.only === undefined || values.only === 'kubernetes') {
  const cluster = await startCluster()
  const { kubeconfig } = await cluster.call('kubernetes-churn-setup', { endpoints })
  const startedAt = performance.now()
  const mesh = await meshlet.createMesh({ namespace: 'shop', kubernetes: { kubeconfig, rules: false, syncTimeoutMs: 60_000 } })
  console.log(`\nKubernetes: first sync of ${endpoints} endpoints in ${Math.round(performance.now() - startedAt)} ms`)
  await run('Kubernetes (EndpointSlice updates)', cluster, mesh, 'http://reviews:9080/', () => cluster.call('kubernetes-churn-start', { perSecond: rate }))
  await mesh.close()
  cluster.stop()
}

if (values.only === undefined || values.only === 'etcd') {
  const etcd = await testing.startEtcd()
  const prefix = '/meshlet/'
  await putFleetServiceEntry(etcd.endpoint, prefix)
  const cluster = await startCluster()
  await cluster.call('etcd-churn-setup', { endpoint: etcd.endpoint, prefix, endpoints })
  const startedAt = performance.now()
  const mesh = await meshlet.createMesh({ namespace: 'shop', etcd: { endpoints: [etcd.endpoint], prefix, syncTimeoutMs: 60_000 } })
  console.log(`\netcd: first read of ${endpoints} WorkloadEntries in ${Math.round(performance.now() - startedAt)} ms`)
  await run('etcd (WorkloadEntry puts)', cluster, mesh, 'http://reviews.fleet.internal:9080/', () => cluster.call('etcd-churn-start', { perSecond: rate }))
  await mesh.close()
  cluster.stop()
  await etcd.close()
}
