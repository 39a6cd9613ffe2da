// mesh.fetch: the global fetch's signature and a WHATWG Response, through the mesh's rules.
// Run from this folder after `pnpm build`: node fetch.mjs
import { createMesh } from 'meshlet'
import { CATALOG_RULES } from './rules.mjs'
import { startCatalog } from './upstreams.mjs'

const catalog = await startCatalog()
const mesh = await createMesh({ yaml: CATALOG_RULES, endpoints: catalog.endpoints })

const everyone = await mesh.fetch('http://catalog/items')
console.log('everyone', everyone.status, await everyone.json())

const beta = await mesh.fetch('http://catalog/items', { headers: { 'x-user-tier': 'beta' } })
console.log('beta', beta.status, await beta.json())

// A host the rules do not know and no endpoint serves: the mesh answers itself, it does not throw.
const unknown = await mesh.fetch('http://127.0.0.1:1/', { signal: AbortSignal.timeout(5_000) })
console.log('refused', unknown.status, unknown.headers.get('x-meshlet-reason'))

await mesh.close()
await catalog.close()
