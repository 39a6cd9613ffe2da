// Child process of slow-endpoint.sockets.mjs: loopback HTTP servers that answer after a
// log-normal delay. Argument: a JSON list of median delays in ms. Reports the ports over IPC and
// stays up until the parent disconnects.
import { createServer } from 'node:http'

const medians = JSON.parse(process.argv[2] ?? '[]')
const SIGMA = 0.3

function logNormal(medianMs) {
  const u = 1 - Math.random()
  const v = Math.random()
  return medianMs * Math.exp(SIGMA * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))
}

const servers = await Promise.all(
  medians.map(
    (medianMs) =>
      new Promise((resolve) => {
        const server = createServer((_req, res) => setTimeout(() => res.end('ok'), logNormal(medianMs)))
        server.keepAliveTimeout = 60_000
        server.listen(0, '127.0.0.1', () => resolve(server))
      }),
  ),
)
process.send({ ports: servers.map((server) => server.address().port) })
process.on('disconnect', () => {
  for (const server of servers) server.close()
  process.exit(0)
})
