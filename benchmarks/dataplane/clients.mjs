// The clients compared, each sending the same GET and reading the whole body:
// - mesh:    mesh.fetch('http://items:8080/items/1') with rules.yaml loaded (a Response, like fetch)
// - undici:  undici 7 Pool.request() to the upstream's address (what the mesh's transport uses)
// - fetch:   Node's global fetch to the upstream's address
// - haproxy: undici 7 Pool.request() to a local HAProxy that forwards to the upstream (a sidecar hop)
import { readFileSync } from 'node:fs'
import { Pool } from 'undici'
import { importWorkspace } from '../lib/workspace.mjs'

const { createMesh } = await importWorkspace('meshlet', '../../packages/meshlet/dist/index.js')

const RULES = readFileSync(new URL('./rules.yaml', import.meta.url), 'utf8')
const PATH = '/items/1'

export async function meshClient(upstreamPort) {
  const mesh = await createMesh({
    yaml: RULES,
    namespace: 'default',
    endpoints: { items: [{ address: '127.0.0.1', port: upstreamPort, labels: { version: 'v1' } }] },
  })
  const url = 'http://items:8080' + PATH
  return {
    name: 'mesh.fetch',
    send: async () => {
      const response = await mesh.fetch(url)
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`status ${response.status}`)
    },
    close: () => mesh.close(),
  }
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
