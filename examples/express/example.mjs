// An Express frontend calling a catalog service through meshlet. The middleware gives each
// request a context: `x-user-tier` (which a rule matches on), the request id and trace headers
// reach the catalog without any code here, and CORS preflights are answered from the frontend's
// own VirtualService corsPolicy.
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import express from 'express'
import { createMesh } from 'meshlet'
import { meshletExpress } from '@meshlet/express'

const RULES_DIR = fileURLToPath(new URL('./mesh/', import.meta.url))

/** The frontend: GET /products asks the catalog and says which version answered. */
export function frontendApp(mesh) {
  const app = express()
  app.use(meshletExpress(mesh, { host: 'frontend:8080' }))
  app.get('/products', async (req, res) => {
    const answer = await mesh.fetch('http://catalog:8080/products')
    const catalog = await answer.json()
    res.status(answer.status).json({ requestId: req.headers['x-request-id'], catalog })
  })
  return app
}

/** A stand-in catalog service: answers with its version and the headers it was sent. */
function catalogServer(version) {
  return createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ version, products: ['book', 'lamp'], seen: { 'x-user-tier': req.headers['x-user-tier'] ?? null, 'x-request-id': req.headers['x-request-id'] ?? null } }))
  })
}

/** Starts catalog v1 and v2 and the frontend on loopback ports; returns the frontend URL and close(). */
export async function startExample() {
  const servers = []
  const listen = async (server) => {
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    return server.address().port
  }
  const catalog = []
  for (const version of ['v1', 'v2']) catalog.push({ address: '127.0.0.1', port: await listen(catalogServer(version)), labels: { version } })
  const mesh = await createMesh({ files: [RULES_DIR], labels: { app: 'frontend' }, endpoints: { catalog } })
  const port = await listen(createServer(frontendApp(mesh)))
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const server of servers.reverse()) {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
      await mesh.close()
    },
  }
}

/** The requests the example makes, with what came back. */
export async function tryIt(url) {
  const anonymous = await (await fetch(`${url}/products`)).json()
  const beta = await (await fetch(`${url}/products`, { headers: { 'x-user-tier': 'beta', 'x-request-id': 'beta-req-1' } })).json()
  const preflight = await fetch(`${url}/products`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } })
  return {
    anonymous,
    beta,
    preflight: { status: preflight.status, headers: Object.fromEntries([...preflight.headers].filter(([name]) => name.startsWith('access-control-'))) },
  }
}
