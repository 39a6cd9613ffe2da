// createMesh's options for identity, injected time and randomness, events, a reload, state kept
// across processes, and mesh.close() waiting for a call in flight.
// Run from this folder after `pnpm build`: node lifecycle.mjs
import { createMesh } from 'meshlet'
import { CATALOG_RULES } from './rules.mjs'
import { startCatalog } from './upstreams.mjs'

const catalog = await startCatalog()
const mesh = await createMesh({
  yaml: CATALOG_RULES,
  endpoints: catalog.endpoints,
  namespace: 'default', // short names in rules and calls expand in this namespace
  labels: { app: 'storefront', version: 'v1' }, // this workload's labels (sourceLabels matches, metrics)
  telemetry: false, // no metrics or spans; the request event stays
})

mesh.on('request', (event) => console.log('request', event.method, event.url, event.status, event.route, event.tries))

const pending = mesh.fetch('http://catalog/items')
const closing = mesh.close() // new calls are refused from here; the one in flight finishes
const answer = await pending
console.log('answered while closing', answer.status, (await answer.json()).version)
await closing
console.log('closed', mesh.closed)

try {
  await mesh.fetch('http://catalog/items')
} catch (error) {
  console.log('after close', error.code)
}

// What outlier detection and breakers learned, as JSON for the next process's createMesh({ state }).
console.log('state', Object.keys(mesh.snapshotState()).join(','))
await catalog.close()
