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
const modes = { 'grpc-js via meshlet:///': unary(meshed) }

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

for (const call of Object.values(modes)) await measure(call, 1000) // warm-up
const results = Object.fromEntries(Object.keys(modes).map((name) => [name, []]))
for (let round = 0; round < rounds; round++) for (const [name, call] of Object.entries(modes)) results[name].push(await measure(call, seconds * 1000))
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const rate = Object.fromEntries(Object.entries(results).map(([name, values]) => [name, median(values.map((v) => v.rate))]))
const cpu = Object.fromEntries(Object.entries(results).map(([name, values]) => [name, median(values.map((v) => v.cpuMicrosPerCall))]))

console.log(rate, cpu)
process.exit(0)
