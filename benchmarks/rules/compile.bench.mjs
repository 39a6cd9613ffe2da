// Compile of 1,000 VirtualServices × 10 routes, plus a DestinationRule and a ServiceEntry per host:
// phase by phase, and whole through createMesh as an application starts (issue 12: from parsed
// objects ≤ 100 ms, from YAML text ≤ 300 ms).
import { createMesh } from 'meshlet'
import { rules, importDist } from '../lib/workspace.mjs'
import { measure } from '../lib/measure.mjs'
import { generateRules, ROUTES_PER_HOST } from './generate.mjs'

const HOSTS = 1000

export const note = 'median and p99 of 10 rounds after 2 warm-up rounds (createMesh: 8 rounds); one round = one full pass over the 3,000 resources'

export const title = `compile: ${HOSTS.toLocaleString('en')} VirtualServices × ${ROUTES_PER_HOST} routes + ${HOSTS.toLocaleString('en')} DestinationRules + ${HOSTS.toLocaleString('en')} ServiceEntries`

export async function run() {
  const yaml = generateRules(HOSTS, { serviceEntries: true })
  const parse = () => rules.parseText(yaml, '<bench>', { defaultNamespace: 'default' })
  const { resources } = parse()
  const compiled = rules.compileResources(resources, {})
  if (!compiled.snapshot) throw new Error(`benchmark rules do not compile: ${compiled.diagnostics.filter((d) => d.severity === 'error').map(rules.formatDiagnostic).slice(0, 5).join('\n')}`)
  // The objects an application would pass as `resources` (plain data, as JSON.parse gives them).
  const objects = resources.map((resource) => JSON.parse(JSON.stringify(resource.object)))
  // compileValidated is internal (not exported by @meshlet/rules); read from the build to time the phase alone.
  const { compileValidated } = await importDist('../../packages/rules/dist/compile/index.js')
  const few = { warmup: 2, rounds: 10 }
  const meshRounds = { warmup: 2, rounds: 8 }
  const createAndClose = async (options) => (await createMesh(options)).close()
  // Validation and compile remember objects they have seen (a reload reuses unchanged ones), so
  // each round of a phase gets resources read afresh: the figures are those of a first compile.
  const fresh = () => {
    const sets = Array.from({ length: few.warmup + few.rounds }, () => parse().resources)
    return () => sets.shift()
  }
  const forValidate = fresh()
  const forCompile = fresh()
  return [
    { name: 'parse YAML (positions found later, on demand)', ...measure({ ...few, round: parse }) },
    { name: 'validate (schema + webhook rules)', ...measure({ ...few, round: () => rules.validateResources(forValidate()) }) },
    { name: 'analyze (cross-resource)', ...measure({ ...few, round: () => rules.analyzeResources(resources, {}) }) },
    { name: 'compile to a frozen snapshot', ...measure({ ...few, round: () => compileValidated(forCompile(), {}, []) }) },
    { name: 'createMesh({ resources }) from parsed objects', target: { ns: 100e6, text: '≤ 100 ms' }, ...(await measureAsync({ ...meshRounds, round: () => createAndClose({ resources: objects }) })) },
    { name: 'createMesh({ yaml }) from YAML text', target: { ns: 300e6, text: '≤ 300 ms' }, ...(await measureAsync({ ...meshRounds, round: () => createAndClose({ yaml }) })) },
  ]
}

async function measureAsync({ warmup, rounds, round }) {
  globalThis.gc?.()
  for (let i = 0; i < warmup; i++) await round()
  const samples = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    await round()
    samples.push((performance.now() - start) * 1e6)
  }
  samples.sort((a, b) => a - b)
  return { medianNs: samples[Math.floor((samples.length - 1) / 2)], p99Ns: samples[samples.length - 1], rounds, opsPerRound: 1 }
}
