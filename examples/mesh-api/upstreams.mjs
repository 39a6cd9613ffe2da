// Two versions of a "catalog" service on loopback ports, standing in for pods. Each answers JSON
// naming its version and echoing the headers the mesh sent, so the examples can show what happened.
import { createServer } from 'node:http'

export async function startCatalog() {
  const servers = await Promise.all(['v1', 'v2'].map((version) => listen(version)))
  return {
    /** createMesh's `endpoints` option: the host `catalog` served by both, labelled by version. */
    endpoints: { catalog: servers.map(({ port, version }) => ({ address: '127.0.0.1', port, labels: { app: 'catalog', version } })) },
    close: () => Promise.all(servers.map(({ server }) => new Promise((resolve) => server.close(resolve)))),
  }
}

function listen(version) {
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify({ version, path: request.url, userTier: request.headers['x-user-tier'] ?? null }))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, version, port: server.address().port })))
}
