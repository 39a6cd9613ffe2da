// Route decisions at 1,000 and 10,000 hosts × 10 routes (issue 12: selectRoute ≤ 1 µs at 1,000
// hosts with requests scattered over all of them; mesh.explain ≤ 5 µs), with requests scattered
// over every host (each decision runs cold: memory latency, not matching, is what costs) and hot
// (a working set of 10 hosts, as a service calling a few others), plus the host lookup alone at 10
// hosts to show the index does not grow with the number of hosts.
import { rules, core } from '../lib/workspace.mjs'
import { measure } from '../lib/measure.mjs'
import { generateRules, requestFor, ROUTES_PER_HOST } from './generate.mjs'

const DECISIONS_PER_ROUND = 10_000
const SELECT_TARGET = { ns: 1000, text: '≤ 1 µs' }
const EXPLAIN_TARGET = { ns: 5000, text: '≤ 5 µs' }
const ROUNDS = { warmup: 10, rounds: 40, opsPerRound: DECISIONS_PER_ROUND }

export const note = 'median and p99 of 40 rounds (explain: 20) after 10 warm-up rounds; a round is 10,000 decisions over 1,000 prepared requests and the figure is its time ÷ 10,000'

export const title = `route decisions (${ROUTES_PER_HOST} routes per host; requests spread over the hosts and their routes)`

export function run() {
  const rows = []
  let sink = 0
  const repeat = (list, decide) => () => {
    for (let i = 0; i < DECISIONS_PER_ROUND; i++) sink += decide(list[i % list.length])
  }
  for (const hosts of [10, 1000, 10_000]) {
    const snapshot = compile(hosts)
    const label = `${hosts.toLocaleString('en')} hosts`
    const scattered = requestMix(hosts, hosts)
    const authorities = scattered.map((r) => r.authority)
    rows.push({ name: `host lookup (lookupVirtualService), ${label}`, ...measure({ ...ROUNDS, round: repeat(authorities, (a) => (snapshot.lookupVirtualService(a) ? 1 : 0)) }) })
    if (hosts === 10) continue
    const select = (list) => repeat(list.map(toRouteRequest), (r) => rules.selectRoute(snapshot, r).kind.length)
    rows.push({ name: `selectRoute, ${label}, scattered over every host`, target: hosts === 1000 ? SELECT_TARGET : undefined, ...measure({ ...ROUNDS, round: select(scattered) }) })
    rows.push({ name: `selectRoute, ${label}, hot (10 hosts)`, ...measure({ ...ROUNDS, round: select(requestMix(hosts, 10)) }) })
    // The slowest decision: every request falls through nine routes to the catch-all.
    const fallThrough = Array.from({ length: 1000 }, (_, i) => requestFor((i * 7919) % hosts, 9))
    rows.push({ name: `selectRoute, ${label}, always the last route`, ...measure({ ...ROUNDS, round: select(fallThrough) }) })
    if (hosts !== 1000) continue
    const random = core.seededRandom(1)
    const explainInputs = scattered.map(toExplainInput)
    rows.push({ name: 'explain() (URL check, JSON decision), 1,000 hosts, scattered', target: EXPLAIN_TARGET, ...measure({ ...ROUNDS, rounds: 20, round: repeat(explainInputs, (input) => rules.explain(snapshot, input, { random }).action.length) }) })
  }
  if (sink === 0) throw new Error('no decisions were made')
  return rows
}

function compile(hosts) {
  const { resources } = rules.parseText(generateRules(hosts), '<bench>', { defaultNamespace: 'default' })
  const result = rules.compileResources(resources, {})
  if (!result.snapshot) throw new Error('benchmark rules do not compile')
  return result.snapshot
}

/** 1,000 requests over `spread` of the hosts and over the 10 routes of each (7919 is prime: a scatter). */
function requestMix(hosts, spread) {
  return Array.from({ length: 1000 }, (_, i) => requestFor((i * 7919) % Math.min(hosts, spread), i % ROUTES_PER_HOST))
}

/** The data plane's per-request view, built once here, outside the timed loop. */
function toRouteRequest(r) {
  const headers = r.headers
  return { method: r.method, scheme: r.scheme, authority: r.authority, path: r.path, query: r.query, pathWithQuery: r.query ? `${r.path}?${r.query}` : r.path, port: r.port, header: (name) => headers[name] }
}

function toExplainInput(r) {
  return { method: r.method, url: `${r.scheme}://${r.authority}${r.path}${r.query ? `?${r.query}` : ''}`, headers: r.headers }
}
