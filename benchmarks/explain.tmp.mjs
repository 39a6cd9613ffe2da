import { rules, core } from './lib/workspace.mjs'
import { measure } from './lib/measure.mjs'
import { generateRules, requestFor, ROUTES_PER_HOST } from './rules/generate.mjs'
const hosts = 1000
const { resources } = rules.parseText(generateRules(hosts), '<b>', { defaultNamespace: 'default' })
const snapshot = rules.compileResources(resources, {}).snapshot
const inputs = Array.from({ length: 1000 }, (_, i) => requestFor((i * 7919) % hosts, i % ROUTES_PER_HOST)).map((r) => ({ method: r.method, url: `${r.scheme}://${r.authority}${r.path}${r.query ? `?${r.query}` : ''}`, headers: r.headers }))
const random = core.seededRandom(1)
let sink = 0
const m = measure({ warmup: 5, rounds: 20, opsPerRound: 10000, round: () => { for (let i = 0; i < 10000; i++) sink += rules.explain(snapshot, inputs[i % 1000], { random }).action.length } })
console.log('explain', m.medianNs.toFixed(0), 'ns')
const u = measure({ warmup: 5, rounds: 20, opsPerRound: 10000, round: () => { for (let i = 0; i < 10000; i++) sink += new URL(inputs[i % 1000].url).pathname.length } })
console.log('new URL', u.medianNs.toFixed(0), 'ns')
