// mesh.request: undici.request's shape (statusCode, headers, a Node Readable), no WHATWG objects.
// Run from this folder after `pnpm build`: node request.mjs
import { createMesh } from 'meshlet'
import { CATALOG_RULES } from './rules.mjs'
import { startCatalog } from './upstreams.mjs'

const catalog = await startCatalog()
const mesh = await createMesh({ yaml: CATALOG_RULES, endpoints: catalog.endpoints })

const { statusCode, headers, body } = await mesh.request('http://catalog/items', { headers: { 'x-user-tier': 'beta' } })
let text = ''
for await (const chunk of body) text += chunk // read the body to the end (or destroy it): it holds the try's slot
console.log('beta', statusCode, headers['content-type'], JSON.parse(text))

await mesh.close()
await catalog.close()
