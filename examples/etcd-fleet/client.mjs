// The fourth process: it routes calls to reviews.fleet.internal across the registered instances
// with the rules in etcd (the canary), and reports what it saw when asked.
//   node client.mjs <etcd endpoint> <concurrency>
import { createMesh } from 'meshlet'

const [endpoint, concurrencyText] = process.argv.slice(2)
const mesh = await createMesh({ namespace: 'fleet', etcd: { endpoints: [endpoint] } })
mesh.on('configReloaded', () => process.send({ event: 'the rules changed in etcd: recompiled' }))

let tally = { byInstance: {}, byVersion: {}, failed: {} }
let running = true
async function loop() {
  while (running) {
    try {
      const response = await mesh.fetch('http://reviews.fleet.internal:9080/reviews/1')
      if (response.status === 200) {
        const { instance, version } = await response.json()
        tally.byInstance[instance] = (tally.byInstance[instance] ?? 0) + 1
        tally.byVersion[version] = (tally.byVersion[version] ?? 0) + 1
      } else {
        const reason = `${response.status} ${response.headers.get('x-meshlet-reason') ?? ''}`.trim()
        tally.failed[reason] = (tally.failed[reason] ?? 0) + 1
        await response.arrayBuffer()
      }
    } catch (error) {
      tally.failed[String(error?.code ?? error)] = (tally.failed[String(error?.code ?? error)] ?? 0) + 1
    }
  }
}
const loops = Array.from({ length: Number(concurrencyText) }, loop)
process.send({ ready: true })

process.on('message', async (message) => {
  if (message === 'tally') {
    process.send({ tally })
    tally = { byInstance: {}, byVersion: {}, failed: {} }
  } else if (message === 'stop') {
    running = false
    await Promise.all(loops)
    await mesh.close()
    process.send({ stopped: true })
    process.disconnect()
  }
})
