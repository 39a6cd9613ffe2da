// gRPC unary calls through meshlet (a meshlet:/// target) against the same grpc-js client with a
// direct target, and HTTP/2 mesh.request against a plain node:http2 client, in one run.
//   pnpm build && node benchmarks/grpc/run.mjs [seconds-per-round=3] [rounds=3] [concurrency=32]
import { fork } from 'node:child_process'
import { connect } from 'node:http2'
import { cpus, loadavg } from 'node:os'
import * as grpc from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'
import { createMesh } from 'meshlet'
import { registerMeshletGrpc } from '@meshlet/grpc'

const seconds = Number(process.argv[2] ?? 3)
const rounds = Number(process.argv[3] ?? 3)
const concurrency = Number(process.argv[4] ?? 32)

const child = fork(new URL('./upstream.child.mjs', import.meta.url))
const { grpcPort, h2Port } = await new Promise((resolve) => child.once('message', resolve))

const { shop } = grpc.loadPackageDefinition(loadSync(new URL('./reviews.proto', import.meta.url).pathname, { keepCase: true }))
const HOST = 'reviews.shop.svc.cluster.local'
const mesh = await createMesh({
  namespace: 'shop',
  endpoints: { [HOST]: [{ address: '127.0.0.1', port: grpcPort }] },
  yaml: `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: raw, namespace: shop }
spec:
  hosts: [raw.example.internal]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 8080, name: http2, protocol: HTTP2 }]
  endpoints: [{ address: 127.0.0.1, ports: { http2: ${h2Port} } }]
`,
})
const grpcMesh = await registerMeshletGrpc(mesh)
const direct = new shop.Reviews(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure())
const meshed = new shop.Reviews(grpcMesh.target(`${HOST}:9080`), grpc.credentials.createInsecure())
const session = connect(`http://127.0.0.1:${h2Port}`)

const unary = (client) => () => new Promise((resolve, reject) => client.Get({ id: 'r1' }, (error) => (error ? reject(error) : resolve())))
const modes = {
  ...(process.env.ONLY_MESH ? {} : { 'node:http2 direct': () =>
    new Promise((resolve, reject) => {
      const stream = session.request({ ':method': 'GET', ':path': '/' }, { endStream: true })
      stream.on('error', reject)
      stream.resume()
      stream.on('end', resolve)
    }) }),
  // The body read the same way as the direct client's: resume, wait for the end.
  'mesh.request over HTTP/2': async () => {
    const result = await mesh.request('http://raw.example.internal:8080/')
    await new Promise((resolve, reject) => result.body.on('error', reject).on('end', resolve).resume())
  },
}

async function measure(call, durationMs) {
  const end = performance.now() + durationMs
  let done = 0
  const worker = async () => {
    while (performance.now() < end) {
      await call()
      done++
    }
  }
  const started = performance.now()
  const cpu = process.cpuUsage()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const used = process.cpuUsage(cpu)
  return { rate: done / ((performance.now() - started) / 1000), cpuMicrosPerCall: (used.user + used.system) / done }
}


import('node:inspector/promises').then(async ({ Session }) => {})
const { Session } = await import('node:inspector/promises')
const modeCall = modes['mesh.request over HTTP/2']
const directCall = process.env.DIRECT ? (() => new Promise((resolve, reject) => { const stream = session.request({ ':method': 'GET', ':path': '/' }, { endStream: true }); stream.on('error', reject); stream.resume(); stream.on('end', resolve) })) : undefined
const target = directCall ?? modeCall
await measure(target, 1500)
const s2 = new Session(); s2.connect()
await s2.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true })
const r = await measure(target, 2000)
const { profile } = await s2.post('HeapProfiler.stopSampling')
const calls = r.rate * 2
const by = new Map(); let total = 0
const walk = (n) => { const f = n.callFrame; const k = `${f.functionName || '(anon)'} ${f.url.replace(/.*\/(packages|node_modules)\//, '$1/')}:${f.lineNumber + 1}`; if (n.selfSize) { by.set(k, (by.get(k) ?? 0) + n.selfSize); total += n.selfSize } n.children.forEach(walk) }
walk(profile.head)
console.log('bytes/call', (total / calls).toFixed(0))
for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / calls).toFixed(0).padStart(6), k)
process.exit(0)
