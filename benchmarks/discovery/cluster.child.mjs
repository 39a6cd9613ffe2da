// The "cluster" side of the discovery benchmarks, in its own process so the benchmark process
// measures meshlet alone: pods (HTTP servers on loopback addresses), the fake Kubernetes API
// server from @meshlet/testing, and the writers that change them (a scale-up, a churn loop over
// EndpointSlices or over etcd keys). Driven over IPC by convergence.mjs and churn.mjs.
import { createServer } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const testing = await import(new URL('../../packages/testing/dist/index.js', import.meta.url).href)
const now = () => performance.timeOrigin + performance.now()
const send = (message) => process.send(message)

let api
let podPort = 0
const pods = new Map()

/** A pod: a server on its own loopback address; it reports its first request. */
async function startPod(address) {
  const server = createServer((request, response) => {
    if (!pod.firstAt) {
      pod.firstAt = now()
      send({ event: 'first-request', address, at: pod.firstAt })
    }
    response.setHeader('x-upstream', address)
    response.end('ok')
  })
  const pod = { address, server, firstAt: undefined }
  await new Promise((resolve) => server.listen(podPort, address, resolve))
  podPort = server.address().port
  pods.set(address, pod)
  return pod
}

/** One server answering on every loopback address of its port (churn: thousands of endpoints). */
async function startCatchAll() {
  const server = createServer((request, response) => response.end('ok'))
  server.keepAliveTimeout = 60_000
  await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve))
  podPort = server.address().port
}

const slice = (name, addresses) => testing.endpointSliceObject('shop', name, 'reviews', [{ name: 'http', port: podPort }], addresses.map((address) => ({ address })))

/** 127.1.0.0 + i */
const address = (i) => `127.${1 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}`

const handlers = {
  async 'kubernetes'({ initialPods }) {
    api = await testing.FakeKubernetesApiServer.start({ bookmarkIntervalMs: 60_000 })
    const kubeconfig = api.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'meshlet-bench-')), 'config'))
    for (let i = 0; i < initialPods; i++) await startPod(`127.0.0.${2 + i}`)
    api.apply(testing.serviceObject('shop', 'reviews', [{ name: 'http', port: 9080, targetPort: 'http' }], { app: 'reviews' }))
    api.apply(slice('reviews-a', [...pods.keys()]))
    return { kubeconfig, podPort }
  },
  async 'pods'({ count, base }) {
    for (let i = 0; i < count; i++) await startPod(`${base}${2 + i}`)
    return { podPort }
  },
  /** Scale up by one pod: its server listens first, then the slice lists it. */
  async 'kubernetes-add'({ address: added }) {
    await startPod(added)
    const writeAt = now()
    api.apply(slice('reviews-a', [...pods.keys()]))
    return { writeAt }
  },
  async 'kubernetes-remove'({ address: removed }) {
    const pod = pods.get(removed)
    pods.delete(removed)
    api.apply(slice('reviews-a', [...pods.keys()]))
    setTimeout(() => pod.server.close(), 1_000).unref()
    return {}
  },
  async 'pod-start'({ address: added }) {
    await startPod(added)
    return { podPort }
  },
  async 'pod-stop'({ address: removed }) {
    const pod = pods.get(removed)
    pods.delete(removed)
    setTimeout(() => pod.server.close(), 1_000).unref()
    return {}
  },
  /** 10,000 endpoints in slices of 100, all answered by one catch-all server. */
  async 'kubernetes-churn-setup'({ endpoints }) {
    await startCatchAll()
    api = await testing.FakeKubernetesApiServer.start({ bookmarkIntervalMs: 60_000, maxHistory: 20_000 })
    const kubeconfig = api.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'meshlet-bench-')), 'config'))
    api.apply(testing.serviceObject('shop', 'reviews', [{ name: 'http', port: 9080, targetPort: 'http' }], { app: 'reviews' }))
    churn.slices = []
    for (let s = 0; s < endpoints / 100; s++) {
      churn.slices.push(Array.from({ length: 100 }, (_, i) => address(s * 100 + i)))
      api.apply(slice(`reviews-${s}`, churn.slices[s]))
    }
    churn.next = endpoints
    return { kubeconfig, podPort }
  },
  /** Replaces `perSecond` endpoints each second (every 100 ms a tenth), each change a slice update. */
  async 'kubernetes-churn-start'({ perSecond }) {
    churn.changes = 0
    churn.timer = setInterval(() => {
      const touched = new Set()
      for (let i = 0; i < perSecond / 10; i++) {
        const s = Math.floor(Math.random() * churn.slices.length)
        churn.slices[s][Math.floor(Math.random() * 100)] = address(churn.next++)
        touched.add(s)
        churn.changes++
      }
      for (const s of touched) api.apply(slice(`reviews-${s}`, churn.slices[s]))
    }, 100)
    return {}
  },
  async 'etcd-churn-setup'({ endpoint, prefix, endpoints }) {
    await startCatchAll()
    churn.etcd = { endpoint, prefix }
    const keys = Array.from({ length: endpoints }, (_, i) => i)
    for (let i = 0; i < keys.length; i += 200) await Promise.all(keys.slice(i, i + 200).map((k) => putWorkload(k, address(k))))
    churn.next = endpoints
    churn.size = endpoints
    return { podPort }
  },
  async 'etcd-churn-start'({ perSecond }) {
    churn.changes = 0
    churn.timer = setInterval(() => {
      for (let i = 0; i < perSecond / 10; i++) {
        churn.changes++
        void putWorkload(Math.floor(Math.random() * churn.size), address(churn.next++)).catch(() => undefined)
      }
    }, 100)
    return {}
  },
  async 'churn-stop'() {
    clearInterval(churn.timer)
    return { changes: churn.changes }
  },
}

const churn = {}

async function putWorkload(index, workloadAddress) {
  const value = JSON.stringify({
    apiVersion: 'networking.istio.io/v1',
    kind: 'WorkloadEntry',
    metadata: { name: `w-${index}`, annotations: { 'meshlet.io/port': String(podPort) } },
    spec: { address: workloadAddress, labels: { app: 'reviews' } },
  })
  const key = `${churn.etcd.prefix}workloads/shop/w-${index}`
  const response = await fetch(`${churn.etcd.endpoint}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: Buffer.from(key).toString('base64'), value: Buffer.from(value).toString('base64') }) })
  await response.arrayBuffer()
}

process.on('message', async ({ id, command, args }) => {
  try {
    send({ id, result: await handlers[command](args ?? {}) })
  } catch (error) {
    send({ id, error: String(error?.stack ?? error) })
  }
})
process.on('disconnect', () => process.exit(0))
send({ ready: true })
