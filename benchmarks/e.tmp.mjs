import { rules, core } from './lib/workspace.mjs'
import { generateRules, requestFor } from './rules/generate.mjs'
const { resources } = rules.parseText(generateRules(1000), '<b>', { defaultNamespace: 'default' })
const snapshot = rules.compileResources(resources, {}).snapshot
const inputs = Array.from({ length: 1000 }, (_, i) => requestFor((i * 7919) % 1000, i % 10)).map((r) => ({ method: r.method, url: `${r.scheme}://${r.authority}${r.path}${r.query ? `?${r.query}` : ''}`, headers: r.headers }))
const random = core.seededRandom(1)
let sink = 0
for (let k = 0; k < 60; k++) for (let i = 0; i < 10000; i++) sink += rules.explain(snapshot, inputs[i % 1000], { random }).action.length
