#!/usr/bin/env node
// Issue 10 §4: convergence, from a source event to the first request reaching the new pod, for
// Kubernetes (the fake API server of @meshlet/testing, in a child process) and etcd (the real
// Debian etcd). A mesh sends a closed-loop load to the service; each round starts one new pod (a
// server on its own loopback address), writes it to the source (an EndpointSlice update, or a
// WorkloadEntry put), and times the first request it receives; then removes it. Alongside the mesh,
// a second discovery source in this process records when meshlet had published the new endpoint,
// which bounds the time spent in meshlet itself (it includes the API server's own serialisation and
// loopback TCP). Goal: p99 ≤ 1 s end to end, ≤ 50 ms in meshlet.
//
//   npx tsc -b && node benchmarks/discovery/convergence.mjs [--rounds 100] [--concurrency 8] [--gap 200] [--only kubernetes|etcd]
import { parseArgs } from 'node:util'
import { closedLoop, core, discovery, etcdDelete, etcdPut, getter, machine, meshlet, now, percentile, putFleetServiceEntry, sleep, startCluster, testing } from './lib.mjs'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '100' }, concurrency: { type: 'string', default: '8' }, gap: { type: 'string', default: '200' }, only: { type: 'string' } } })
const rounds = Number(values.rounds)
const concurrency = Number(values.concurrency)
/** Pause between rounds. Below the 50 ms publication interval, a round's change waits for the previous round's removal to be published. */
const gapMs = Number(values.gap)
const HOST = 'reviews.shop.svc.cluster.local'

console.log(machine())
const cluster = await startCluster()
const firstRequests = new Map()
cluster.on('first-request', ({ address, at }) => firstRequests.get(address)?.(at))
const whenFirstRequest = (address) => new Promise((resolve) => firstRequests.set(address, resolve))

/** Runs the rounds: `add(address)` writes the pod to the source and resolves with the write time. */
async function measure(name, base, mesh, url, published, add, remove) {
  const load = closedLoop(getter(mesh, url), concurrency)
  await sleep(500)
  const endToEnd = []
  const inMeshlet = []
  for (let round = 0; round < rounds; round++) {
    const address = `${base}${1 + (round % 250)}`
    const first = whenFirstRequest(address)
    const seen = published(address)
    const writeAt = await add(address)
    let timer
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: round ${round}: ${address} got no request within 10 s`)), 10_000)
    })
    const [firstAt, publishedAt] = await Promise.race([Promise.all([first, seen]), timeout])
    clearTimeout(timer)
    endToEnd.push(firstAt - writeAt)
    inMeshlet.push(publishedAt - writeAt)
    await remove(address)
    await sleep(gapMs)
  }
  await load.stop()
  const row = (label, list) => `  ${label.padEnd(44)} p50 ${percentile(list, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(list, 99).toFixed(1).padStart(6)} ms   max ${Math.max(...list).toFixed(1).padStart(6)} ms`
  console.log(`\n${name}: ${rounds} rounds ${gapMs} ms apart, closed-loop load of ${concurrency}: ${load.stats.ok} calls, ${load.stats.failed} failed ${JSON.stringify(load.stats.reasons)}`)
  console.log(row('write → first request on the new pod', endToEnd))
  console.log(row('write → endpoint published by meshlet', inMeshlet))
}

/** A state that publishes as a mesh's does (DEFAULT_PUBLISH throttling), to time meshlet's part. */
function observedState() {
  return new discovery.DiscoveredState({ clock: core.systemClock, minPublishIntervalMs: discovery.DEFAULT_PUBLISH.minIntervalMs })
}

/** Resolves when `state` lists `address` for the host (checked on each endpoint change). */
function publishedIn(state, lookup) {
  const waiters = new Map()
  state.onEndpointsChange(() => {
    for (const [address, resolve] of waiters) {
      if (lookup().some((endpoint) => endpoint.address === address)) {
        waiters.delete(address)
        resolve(now())
      }
    }
  })
  return (address) => new Promise((resolve) => waiters.set(address, resolve))
}

if (values.only === undefined || values.only === 'kubernetes') {
  const { kubeconfig } = await cluster.call('kubernetes', { initialPods: 3 })
  const mesh = await meshlet.createMesh({ namespace: 'shop', kubernetes: { kubeconfig } })
  const state = observedState()
  const observer = new discovery.KubernetesSource({ options: { kubeconfig, rules: false }, sink: state, reporter: discovery.SILENT_REPORTER, clock: core.systemClock, random: Math.random, domain: 'cluster.local' })
  await observer.start()
  await measure(
    'Kubernetes (EndpointSlice update)',
    '127.0.1.',
    mesh,
    'http://reviews:9080/',
    publishedIn(state, () => state.endpointsOf(HOST, 9080) ?? []),
    async (address) => (await cluster.call('kubernetes-add', { address })).writeAt,
    (address) => cluster.call('kubernetes-remove', { address }),
  )
  await observer.close()
  await mesh.close()
}

if (values.only === undefined || values.only === 'etcd') {
  const etcd = await testing.startEtcd()
  const prefix = '/meshlet/'
  const { podPort } = await cluster.call('pods', { count: 3, base: '127.0.2.' })
  await putFleetServiceEntry(etcd.endpoint, prefix)
  const putWorkload = (address) =>
    etcdPut(
      etcd.endpoint,
      `${prefix}workloads/shop/${address.replaceAll('.', '-')}`,
      JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: { name: address.replaceAll('.', '-'), annotations: { 'meshlet.io/port': String(podPort) } }, spec: { address, labels: { app: 'reviews' } } }),
    )
  for (let i = 0; i < 3; i++) await putWorkload(`127.0.2.${2 + i}`)
  const mesh = await meshlet.createMesh({ namespace: 'shop', etcd: { endpoints: [etcd.endpoint], prefix } })
  const state = observedState()
  const observer = new discovery.EtcdSource({ options: { endpoints: [etcd.endpoint], prefix }, sink: state, reporter: discovery.SILENT_REPORTER, clock: core.systemClock, random: Math.random })
  await observer.start()
  await measure(
    'etcd (WorkloadEntry put, ServiceEntry workloadSelector)',
    '127.0.3.',
    mesh,
    'http://reviews.fleet.internal:9080/',
    publishedIn(state, () => state.workloadsIn('shop').list),
    async (address) => {
      await cluster.call('pod-start', { address })
      const writeAt = now()
      await putWorkload(address)
      return writeAt
    },
    async (address) => {
      await etcdDelete(etcd.endpoint, `${prefix}workloads/shop/${address.replaceAll('.', '-')}`)
      await cluster.call('pod-stop', { address })
    },
  )
  await observer.close()
  await mesh.close()
  await etcd.close()
}
cluster.stop()
