// Shared helpers of the discovery benchmarks (build first: `npx tsc -b`).
import { fork } from 'node:child_process'
import os from 'node:os'
import { performance } from 'node:perf_hooks'

const dist = (path) => import(new URL(`../../packages/${path}`, import.meta.url).href)
export const meshlet = await dist('meshlet/dist/index.js')
export const discovery = await dist('discovery/dist/index.js')
export const testing = await dist('testing/dist/index.js')
export const core = await dist('core/dist/index.js')

/** Wall-clock milliseconds comparable across processes of this machine, with sub-ms resolution. */
export const now = () => performance.timeOrigin + performance.now()

export function machine() {
  const cpus = os.cpus()
  return `node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`
}

/** Starts cluster.child.mjs; `call(command, args)` resolves with its answer; `on(event, fn)` hears its events. */
export async function startCluster() {
  const child = fork(new URL('./cluster.child.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const pending = new Map()
  const listeners = new Map()
  let nextId = 1
  await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.on('message', (message) => {
      if (message.ready) return resolve()
      if (message.event) return listeners.get(message.event)?.(message)
      const waiter = pending.get(message.id)
      pending.delete(message.id)
      if (message.error) waiter?.reject(new Error(message.error))
      else waiter?.resolve(message.result)
    })
  })
  return {
    call(command, args) {
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        child.send({ id, command, args })
      })
    },
    on(event, listener) {
      listeners.set(event, listener)
    },
    stop() {
      if (child.connected) child.disconnect()
    },
  }
}

/** `concurrency` loops calling `call()` back to back until stopped; counts answers and failures. */
export function closedLoop(call, concurrency) {
  const stats = { ok: 0, failed: 0, reasons: {} }
  let running = true
  const loop = async () => {
    while (running) {
      try {
        const status = await call()
        if (status === 200) stats.ok++
        else {
          stats.failed++
          stats.reasons[status] = (stats.reasons[status] ?? 0) + 1
        }
      } catch (error) {
        stats.failed++
        const reason = error?.code ?? error?.message ?? String(error)
        stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const loops = Array.from({ length: concurrency }, loop)
  return {
    stats,
    async stop() {
      running = false
      await Promise.all(loops)
    },
  }
}

/** mesh.request GET, body drained; resolves with the status. */
export function getter(mesh, url) {
  return async () => {
    const { statusCode, headers, body } = await mesh.request(url)
    for await (const _ of body);
    // A local reply names its cause (x-meshlet-reason), so failures are counted by reason.
    return statusCode === 200 ? 200 : `${statusCode} ${headers['x-meshlet-reason'] ?? ''}`.trim()
  }
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** The ServiceEntry both etcd runs use: `reviews.fleet.internal`, selecting WorkloadEntries labelled app=reviews. */
const FLEET_SERVICE_ENTRY = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.fleet.internal]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 9080, name: http, protocol: HTTP }]
  workloadSelector: { labels: { app: reviews } }
`

const b64 = (text) => Buffer.from(text).toString('base64')
const etcdGateway = (endpoint, path, body) => fetch(`${endpoint}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((response) => response.json())

/** Puts a key through etcd's v3 JSON gateway (keys and values base64, as the gateway wants them). */
export function etcdPut(endpoint, key, value) {
  return etcdGateway(endpoint, '/v3/kv/put', { key: b64(key), value: b64(value) })
}

/** Deletes a key through etcd's v3 JSON gateway. */
export function etcdDelete(endpoint, key) {
  return etcdGateway(endpoint, '/v3/kv/deleterange', { key: b64(key) })
}

/** Writes the fleet's ServiceEntry under `<prefix>config/`. */
export function putFleetServiceEntry(endpoint, prefix) {
  return etcdPut(endpoint, `${prefix}config/reviews.yaml`, FLEET_SERVICE_ENTRY)
}
