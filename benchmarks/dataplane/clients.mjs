// The clients compared, each sending the same GET and reading the whole body, like for like:
// - mesh.request: mesh.request('http://items:8080/items/1') with rules.yaml loaded (status, headers, Node Readable)
// - undici:       undici 7 Pool.request() to the upstream's address (what the mesh's transport uses)
// - mesh.fetch:   mesh.fetch() of the same URL (a WHATWG Response, like fetch)
// - fetch:        Node's global fetch to the upstream's address
// - haproxy: undici 7 Pool.request() to a local HAProxy that forwards to the upstream (a sidecar hop)
import { readFileSync } from 'node:fs'
import { Pool } from 'undici'
import { createMesh } from 'meshlet'

const RULES = readFileSync(new URL('./rules.yaml', import.meta.url), 'utf8')
const PATH = '/items/1'

/** mesh.request and mesh.fetch over one mesh (one set of pools); close either to close it. */
export async function meshClients(upstreamPort) {
  const mesh = await createMesh({
    yaml: RULES,
    namespace: 'default',
    endpoints: { items: [{ address: '127.0.0.1', port: upstreamPort, labels: { version: 'v1' } }] },
  })
  const url = 'http://items:8080' + PATH
  let closed
  const close = () => (closed ??= mesh.close())
  return [
    {
      name: 'mesh.request',
      send: async () => {
        const { statusCode, body } = await mesh.request(url)
        await readAll(body)
        if (statusCode !== 200) throw new Error(`status ${statusCode}`)
      },
      close,
    },
    {
      name: 'mesh.fetch',
      send: async () => {
        const response = await mesh.fetch(url)
        await response.arrayBuffer()
        if (response.status !== 200) throw new Error(`status ${response.status}`)
      },
      close,
    },
  ]
}

/** A Node Readable read to the end into one Buffer, through its events (as undici's body.arrayBuffer() does). */
function readAll(readable) {
  return new Promise((resolve, reject) => {
    const chunks = []
    readable.on('data', (chunk) => chunks.push(chunk))
    readable.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)))
    readable.once('error', reject)
  })
}

export function undiciClient(port, name = 'undici Pool') {
  const pool = new Pool(`http://127.0.0.1:${port}`)
  return {
    name,
    send: async () => {
      const { statusCode, body } = await pool.request({ method: 'GET', path: PATH })
      await body.arrayBuffer()
      if (statusCode !== 200) throw new Error(`status ${statusCode}`)
    },
    close: () => pool.close(),
  }
}

export function fetchClient(port) {
  const url = `http://127.0.0.1:${port}${PATH}`
  return {
    name: 'global fetch',
    send: async () => {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`status ${response.status}`)
    },
    close: async () => undefined,
  }
}
