#!/usr/bin/env node
// Cold start: a fresh Node process that imports meshlet, creates a mesh from bookinfo-sized rules
// (examples/bookinfo/mesh, five resources) and makes its first call, against a fresh process whose
// first call is Node's global fetch. Rounds alternate the variants so the machine's load falls on
// all of them alike; each figure is the median (and the spread) over the rounds.
//
//   pnpm build && node benchmarks/coldstart/run.mjs [--rounds 15]
//
// The figure is performance.now() at the first answer's body: milliseconds since the process
// started, Node's own start-up included (the same for every variant); and the CPU time the process
// used until then, which moves far less with the machine's load.
import { execFile, execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const here = fileURLToPath(new URL('.', import.meta.url))
const root = join(here, '../..')
const rulesDir = join(root, 'examples/bookinfo/mesh')
const roundsArg = process.argv.indexOf('--rounds')
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15

const VARIANTS = [
  { name: 'global fetch', args: ['fetch'] },
  { name: 'meshlet bundle, YAML rules', args: ['yaml'] },
  { name: 'meshlet bundle, precompiled snapshot', args: ['snapshot'] },
  { name: 'meshlet unbundled, YAML rules', args: ['yaml'], conditions: 'unbundled' },
  { name: 'meshlet unbundled, precompiled snapshot', args: ['snapshot'], conditions: 'unbundled' },
]

const server = createServer((req, res) => res.end('{"reviews":[]}'))
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}/reviews/1`
const dir = mkdtempSync(join(tmpdir(), 'meshlet-coldstart-'))
const snapshotFile = join(dir, 'mesh.json')
execFileSync(process.execPath, [join(root, 'packages/meshlet/bin/meshlet.js'), 'compile', rulesDir, '-o', snapshotFile], { stdio: 'ignore' })

const samples = new Map(VARIANTS.map((v) => [v.name, []]))
const loads = []
try {
  for (let round = 0; round < ROUNDS; round++) {
    loads.push(loadavg()[0])
    for (const variant of VARIANTS) {
      const nodeArgs = variant.conditions ? [`--conditions=${variant.conditions}`] : []
      const { stdout } = await run(process.execPath, [...nodeArgs, join(here, 'child.mjs'), ...variant.args, url, rulesDir, snapshotFile], { cwd: here })
      const result = JSON.parse(stdout.trim().split('\n').pop())
      if (result.status !== 200) throw new Error(`${variant.name}: first answer ${result.status}`)
      samples.get(variant.name).push(result)
    }
  }
} finally {
  server.close()
  rmSync(dir, { recursive: true, force: true })
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)]
}
const fetchMedian = median(samples.get('global fetch').map((s) => s.firstAnswerMs))
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${ROUNDS} rounds, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}\n`)
const fetchCpu = median(samples.get('global fetch').map((s) => s.cpuMs))
console.log('| variant | first answer, median | min – max | × global fetch | CPU until the answer, median | × global fetch | import, median |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const variant of VARIANTS) {
  const list = samples.get(variant.name)
  const first = list.map((s) => s.firstAnswerMs)
  const firstMedian = median(first)
  const importMedian = variant.args[0] === 'fetch' ? '–' : `${median(list.map((s) => s.importMs)).toFixed(1)} ms`
  const cpuMedian = median(list.map((s) => s.cpuMs))
  console.log(`| ${variant.name} | ${firstMedian.toFixed(1)} ms | ${Math.min(...first).toFixed(0)} – ${Math.max(...first).toFixed(0)} ms | ${(firstMedian / fetchMedian).toFixed(2)} | ${cpuMedian.toFixed(1)} ms | ${(cpuMedian / fetchCpu).toFixed(2)} | ${importMedian} |`)
}
