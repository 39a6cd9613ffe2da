import { createMesh } from 'meshlet'
import { parse } from '../node_modules/.pnpm/yaml@2.9.1/node_modules/yaml/dist/index.js'
import { generateRules } from '/work/wt/cold-start/benchmarks/rules/generate.mjs'
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
const mode = process.argv[2]
for (let r = 0; r < 4; r++) {
  const t0 = performance.now()
  const mesh = await createMesh(mode === 'yaml' ? { yaml: text } : { resources: objects })
  const t1 = performance.now()
  console.log(mode, (t1 - t0).toFixed(0), 'ms')
  await mesh.close()
}
