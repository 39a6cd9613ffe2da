// One instance of the reviews fleet (a process of its own): an HTTP server on its own loopback
// address, and a mesh that registers it in etcd as a WorkloadEntry on a lease. On `stop` it
// deregisters (the lease is revoked, the entry goes at once), then stops serving.
//   node instance.mjs <etcd endpoint> <name> <version> <address> <port>
import { createServer } from 'node:http'
import { createMesh } from 'meshlet'

const [endpoint, name, version, address, port] = process.argv.slice(2)
const server = createServer((request, response) => {
  response.setHeader('content-type', 'application/json')
  response.end(JSON.stringify({ instance: name, version }))
})
await new Promise((resolve) => server.listen(Number(port), address, resolve))

const mesh = await createMesh({ namespace: 'fleet', etcd: { endpoints: [endpoint] } })
const registration = await mesh.register({ name, address, port: Number(port), labels: { app: 'reviews', version } })
process.send({ registered: registration.key })

process.on('message', async (message) => {
  if (message !== 'stop') return
  await registration.close()
  // Calls already on their way finish; new ones go elsewhere now.
  await new Promise((resolve) => setTimeout(resolve, 200))
  await mesh.close()
  server.closeAllConnections()
  server.close()
  process.send({ stopped: name })
  process.disconnect()
})
