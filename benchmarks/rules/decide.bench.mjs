// Route decisions at 1,000 hosts × 10 routes (target ≤ 2 µs each), and the same at 10 and 10,000
// hosts to show the host lookup is an index: its time must not grow with the number of hosts.
import { rules, core } from '../lib/workspace.mjs'
import { measure } from '../lib/measure.mjs'
import { generateRules, requestFor, ROUTES_PER_HOST } from './generate.mjs'

const DECISIONS_PER_ROUND = 10_000
const TARGET = { ns: 2000, text: '≤ 2 µs' }
const HOST_COUNTS = [10, 1000, 10_000]
const ROUNDS = { warmup: 10, rounds: 40, opsPerRound: DECISIONS_PER_ROUND }

export const note = 'median and p99 of 40 rounds (explain: 20) after 10 warm-up rounds; a round is 10,000 decisions and the figure is its time ÷ 10,000'

export const title = `route decisions (${ROUTES_PER_HOST} routes per host; 1,000 requests spread over the hosts and their routes)`

export function run() {
  const lookups = []
  const selections = []
  const extras = []
  let sink = 0
  const repeat = (list, decide) => () => {
    for (let i = 0; i < DECISIONS_PER_ROUND; i++) sink += decide(list[i % list.length])
  }
  for (const hosts of HOST_COUNTS) {
    const snapshot = compile(hosts)
    const label = `${hosts.toLocaleString('en')} hosts`
    const requests = requestMix(hosts)
    const routeRequests = requests.map(toRouteRequest)
    const authorities = requests.map((r) => r.authority)
    lookups.push({ name: `host lookup (lookupVirtualService), ${label}`, ...measure({ ...ROUNDS, round: repeat(authorities, (a) => (snapshot.lookupVirtualService(a) ? 1 : 0)) }) })
    if (hosts === 10_000) {
      // What the index saves: the same lookup as a scan over every VirtualService's hosts.
      const fqdns = authorities.map((a) => snapshot.resolveAuthority(a).host)
      const scan = (host) => snapshot.virtualServices.findIndex((vs) => vs.hosts.includes(host))
      lookups.push({ name: `for comparison: a linear scan of the VirtualServices, ${label}`, ...measure({ warmup: 1, rounds: 5, opsPerRound: 1000, round: () => fqdns.forEach((h) => (sink += scan(h))) }) })
    }
    selections.push({ name: `selectRoute, ${label}`, target: hosts === 1000 ? TARGET : undefined, ...measure({ ...ROUNDS, round: repeat(routeRequests, (r) => rules.selectRoute(snapshot, r).kind.length) }) })
    if (hosts !== 1000) continue
    // A service usually calls a few hosts over and over; the mix above scatters every request over
    // all 10,000 routes, which measures memory latency as much as matching. Both are shown.
    const hotRequests = Array.from({ length: 1000 }, (_, i) => requestFor((i * 7919) % 100, i % ROUTES_PER_HOST)).map(toRouteRequest)
    extras.push({ name: 'selectRoute, 1,000 hosts, traffic to 100 of them', target: TARGET, ...measure({ ...ROUNDS, round: repeat(hotRequests, (r) => rules.selectRoute(snapshot, r).kind.length) }) })
    // The slowest decision: every request falls through nine matchers to the catch-all route.
    const fallThrough = Array.from({ length: 1000 }, (_, i) => toRouteRequest(requestFor((i * 7919) % hosts, 9)))
    extras.push({ name: 'selectRoute, 1,000 hosts, always the last route', target: TARGET, ...measure({ ...ROUNDS, round: repeat(fallThrough, (r) => rules.selectRoute(snapshot, r).kind.length) }) })
    const withoutRegex = compile(hosts, { regex: false })
    extras.push({ name: 'selectRoute, 1,000 hosts, the regex match written as a prefix', ...measure({ ...ROUNDS, round: repeat(routeRequests, (r) => rules.selectRoute(withoutRegex, r).kind.length) }) })
    const explainInputs = requests.map(toExplainInput)
    const random = core.seededRandom(1)
    extras.push({ name: 'explain() (parses the URL, builds the JSON decision), 1,000 hosts', ...measure({ ...ROUNDS, rounds: 20, round: repeat(explainInputs, (input) => rules.explain(snapshot, input, { random }).action.length) }) })
  }
  if (sink === 0) throw new Error('no decisions were made')
  return [...lookups, ...selections, ...extras]
}

function compile(hosts, options) {
  const { resources } = rules.parseText(generateRules(hosts, options), '<bench>', { defaultNamespace: 'default' })
  const result = rules.compileResources(resources, {})
  if (!result.snapshot) throw new Error('benchmark rules do not compile')
  return result.snapshot
}

/** 1,000 requests spread over the hosts and over the 10 routes of each (7919 is prime: a scatter). */
function requestMix(hosts) {
  return Array.from({ length: 1000 }, (_, i) => requestFor((i * 7919) % hosts, i % ROUTES_PER_HOST))
}

/** The data plane's per-request view, built once here, outside the timed loop. */
function toRouteRequest(r) {
  const headers = r.headers
  return { method: r.method, scheme: r.scheme, authority: r.authority, path: r.path, query: r.query, port: r.port, header: (name) => headers[name] }
}

function toExplainInput(r) {
  return { method: r.method, url: `${r.scheme}://${r.authority}${r.path}${r.query ? `?${r.query}` : ''}`, headers: r.headers }
}
