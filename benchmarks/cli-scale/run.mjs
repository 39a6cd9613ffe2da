#!/usr/bin/env node
// Every `meshlet` command on large inputs: 100,000 resources in one file, and a 5 MB file of
// VirtualServices and DestinationRules. Prints the wall time and peak memory (max RSS) of each run,
// read from /usr/bin/time. `pnpm build && node benchmarks/cli-scale/run.mjs`. Not a test: the
// figures depend on the machine; the tests check that these inputs work at all.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(repo, 'packages/meshlet/bin/meshlet.js')
const dir = mkdtempSync(join(os.tmpdir(), 'meshlet-cli-scale-'))

const destinationRule = (i) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d${i}}\nspec: {host: h${i}, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}\n`
const virtualService = (i) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs-${i}, namespace: default}
spec:
  hosts: [svc-${i}]
  http:
  - match:
    - headers: {end-user: {exact: jason}}
    timeout: 3s
    route:
    - destination: {host: svc-${i}, subset: v1}
      weight: 90
    - destination: {host: svc-${i}, subset: v2}
      weight: 10
`
const subsets = (i) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: dr-${i}, namespace: default}\nspec:\n  host: svc-${i}\n  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]\n`

const hundredK = join(dir, 'hundred-k.yaml')
writeFileSync(hundredK, Array.from({ length: 100_000 }, (_, i) => destinationRule(i)).join('---\n'))
const fiveMb = join(dir, 'five-mb.yaml')
const docs = []
for (let i = 0, size = 0; size < 5_000_000; i++) {
  docs.push(virtualService(i), subsets(i))
  size += docs.at(-2).length + docs.at(-1).length + 8
}
writeFileSync(fiveMb, docs.join('---\n'))
const cases = join(dir, 'cases.yaml')
writeFileSync(cases, 'cases:\n  - name: one host\n    request: { url: "http://h5/" }\n    expect: { action: route }\n')

const runs = [
  ['validate 100,000 resources', ['validate', hundredK]],
  ['explain 100,000 resources', ['explain', hundredK, '--request', 'GET http://h5/']],
  ['check 100,000 resources', ['check', hundredK, '--tests', cases]],
  ['fidelity 100,000 resources', ['fidelity', hundredK]],
  ['simulate 100,000 resources', ['simulate', hundredK, '--request', 'GET http://h5/', '--requests', '1000']],
  [`validate 5 MB (${docs.length} resources)`, ['validate', fiveMb]],
]
const cpus = os.cpus()
console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(1)}\n`)
// `node benchmarks/cli-scale/run.mjs validate` runs only the runs whose name contains the word.
const only = process.argv[2]
for (const [name, args] of runs.filter(([name]) => !only || name.includes(only))) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
  const [seconds, kilobytes] = result.stderr.trim().split('\n').at(-1).split(' ')
  console.log(`${name.padEnd(36)} exit ${result.status}  ${seconds.padStart(6)} s  ${(Number(kilobytes) / 1024).toFixed(0).padStart(5)} MB max RSS`)
}
rmSync(dir, { recursive: true, force: true })
