import { parseObjects, parseText, validateResources, analyzeResources, compileResources } from '@meshlet/rules'
import { parse } from '../node_modules/.pnpm/yaml@2.9.1/node_modules/yaml/dist/index.js'
import { generateRules } from './rules/generate.mjs'
const { compileValidated } = await import('../packages/rules/dist/compile/index.js')
const hosts = 1000
let text = generateRules(hosts)
const se = []
for (let i = 0; i < hosts; i++) se.push(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: svc-${i}
spec:
  hosts: [svc-${i}.default.svc.cluster.local]
  location: MESH_INTERNAL
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: STATIC
  endpoints:
    - { address: 10.0.${i >> 8}.${i & 255}, labels: { version: v1 } }
`)
text += '---\n' + se.join('---\n')
const objects = text.split('---\n').map((d) => parse(d))
const time = (name, f) => { const t = []; let r; for (let i = 0; i < 5; i++) { const s = performance.now(); r = f(); t.push(performance.now() - s) } t.sort((a, b) => a - b); console.log(name.padEnd(12), t.map((x) => x.toFixed(0)).join(' ')); return r }
const { resources } = time('parseObjects', () => parseObjects(objects, '<o>', { defaultNamespace: 'default' }))
time('parseText', () => parseText(text, '<y>', { defaultNamespace: 'default' }))
time('validate', () => validateResources(resources))
time('analyze', () => analyzeResources(resources, {}))
time('compile', () => compileValidated(resources, {}, []))
time('all', () => compileResources(parseObjects(objects, '<o>', { defaultNamespace: 'default' }).resources, {}))
