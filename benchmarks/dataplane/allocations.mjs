#!/usr/bin/env node
// What one mesh.request allocates, and where: V8's sampling heap profiler (objects collected by
// young and old GCs included) over calls to the in-memory upstream of overhead.mjs, with the
// dataplane rules. Bytes per call by allocating function; frames V8 inlined are charged to the
// function they were inlined into. Run on the unbundled build so functions keep their file names.
//
//   pnpm build && node --conditions=unbundled benchmarks/dataplane/allocations.mjs [--calls 20000] [--top 30]
import { readFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000' }, top: { type: 'string', default: '30' } } })
const calls = Number(values.calls)

const { createMesh } = await import('./in-memory-upstream.mjs')
const mesh = await createMesh({ yaml: readFileSync(new URL('./rules.yaml', import.meta.url), 'utf8'), endpoints: { items: [{ address: '10.0.0.1', port: 8080, labels: { version: 'v1' } }] } })

const drain = (body) => new Promise((resolve, reject) => {
  body.on('data', () => undefined)
  body.once('end', resolve)
  body.once('error', reject)
})
const send = async () => {
  const { body } = await mesh.request('http://items:8080/items/1')
  await drain(body)
}
const run = async (count) => {
  let left = count
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (left-- > 0) await send()
  }))
}

await run(calls) // warm-up: compiled code and caches as in steady state
const session = new Session()
session.connect()
await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true })
await run(calls)
const { profile } = await session.post('HeapProfiler.stopSampling')
session.disconnect()
await mesh.close()

const bytesBy = new Map()
let total = 0
const walk = (node) => {
  const frame = node.callFrame
  const where = frame.url.replace(/.*\/(packages|node_modules|benchmarks)\//, '$1/')
  const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`
  if (node.selfSize > 0) {
    bytesBy.set(key, (bytesBy.get(key) ?? 0) + node.selfSize)
    total += node.selfSize
  }
  for (const child of node.children) walk(child)
}
walk(profile.head)
console.log(`${calls} calls, 16 in flight: ${(total / calls).toFixed(0)} bytes allocated per call (sampled every 256 bytes)\n`)
for (const [key, bytes] of [...bytesBy].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${(bytes / calls).toFixed(0).padStart(6)} B  ${key}`)
