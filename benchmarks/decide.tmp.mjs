import { rules } from './lib/workspace.mjs'
import { measure } from './lib/measure.mjs'
import { generateRules, requestFor, ROUTES_PER_HOST } from './rules/generate.mjs'
const hosts = Number(process.argv[2] ?? 1000)
const { resources } = rules.parseText(generateRules(hosts), '<b>', { defaultNamespace: 'default' })
const snapshot = rules.compileResources(resources, {}).snapshot
const toRR = (r) => { const h = r.headers; return { method: r.method, scheme: r.scheme, authority: r.authority, path: r.path, query: r.query, pathWithQuery: r.path, port: r.port, header: (n) => h[n] } }
const scattered = Array.from({ length: 1000 }, (_, i) => toRR(requestFor((i * 7919) % hosts, i % ROUTES_PER_HOST)))
const hot = Array.from({ length: 1000 }, (_, i) => toRR(requestFor((i * 7919) % 10, i % ROUTES_PER_HOST)))
let sink = 0
const rep = (list) => () => { for (let i = 0; i < 10000; i++) sink += rules.selectRoute(snapshot, list[i % 1000]).kind.length }
for (const [n, l] of [['scattered', scattered], ['hot', hot], ['scattered', scattered]]) { const m = measure({ warmup: 10, rounds: 40, opsPerRound: 10000, round: rep(l) }); console.log(n, (m.medianNs).toFixed(0), 'ns') }
