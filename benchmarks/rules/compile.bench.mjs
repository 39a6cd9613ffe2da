// Compile of 1,000 VirtualServices × 10 routes (plus a DestinationRule per host), phase by phase.
// Target (issue "Foundation" §6): compile ≤ 200 ms.
import { rules, importDist } from '../lib/workspace.mjs'
import { measure } from '../lib/measure.mjs'
import { generateRules, ROUTES_PER_HOST } from './generate.mjs'

const HOSTS = 1000
const TARGET = { ns: 200e6, text: '≤ 200 ms' }

export const note = 'median and p99 of 10 rounds after 2 warm-up rounds; one round = one full pass over the 2,000 resources'

export const title = `compile: ${HOSTS.toLocaleString('en')} VirtualServices × ${ROUTES_PER_HOST} routes + ${HOSTS.toLocaleString('en')} DestinationRules`

export async function run() {
  const yaml = generateRules(HOSTS)
  const parse = () => rules.parseText(yaml, '<bench>', { defaultNamespace: 'default' })
  const { resources } = parse()
  const compiled = rules.compileResources(resources, {})
  if (!compiled.snapshot) throw new Error(`benchmark rules do not compile: ${compiled.diagnostics.filter((d) => d.severity === 'error').map(rules.formatDiagnostic).slice(0, 5).join('\n')}`)
  // compileValidated is internal (not exported by @meshlet/rules); read from the build to time the phase alone.
  const { compileValidated } = await importDist('../../packages/rules/dist/compile/index.js')
  const few = { warmup: 2, rounds: 10 }
  return [
    { name: 'parse YAML (with source positions)', ...measure({ ...few, round: parse }) },
    { name: 'validate (schema + webhook rules)', ...measure({ ...few, round: () => rules.validateResources(resources) }) },
    { name: 'analyze (cross-resource)', ...measure({ ...few, round: () => rules.analyzeResources(resources, {}) }) },
    { name: 'compile to a frozen snapshot', target: TARGET, ...measure({ ...few, round: () => compileValidated(resources, {}, []) }) },
    { name: 'validate + analyze + compile (compileResources)', ...measure({ ...few, round: () => rules.compileResources(resources, {}) }) },
  ]
}
