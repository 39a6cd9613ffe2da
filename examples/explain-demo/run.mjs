#!/usr/bin/env node
// The explain demo (`pnpm --filter @meshlet/example-explain-demo start`, or `node` this file):
// validates the bookinfo-style rules in examples/rules/mesh, then asks
// meshlet what it would do with a few requests, the way a sidecar would decide them, without a
// cluster and without sending anything. Run `pnpm build` first (the packages are used from dist/).
import { fileURLToPath } from 'node:url'
import { loadMeshConfig, explain, formatDiagnostic } from 'meshlet'
import { seededRandom } from '@meshlet/core'

const rulesDir = fileURLToPath(new URL('../rules/mesh/', import.meta.url))
const bold = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${text}\u001b[22m` : text)

// 1. Validate: every problem Istio would reject, with file:line:col and field path.
console.log(bold('1. Validate examples/rules/mesh'))
const { snapshot, diagnostics, files } = await loadMeshConfig({ files: [rulesDir], namespace: 'default' })
for (const d of diagnostics.filter((d) => d.severity !== 'info')) console.log(`   ${d.severity}: ${formatDiagnostic(d)}`)
if (!snapshot) {
  console.log('   the rules do not compile; fix the errors above')
  process.exit(1)
}
const warnings = diagnostics.filter((d) => d.severity === 'warning').length
const counts = `${snapshot.virtualServices.length} VirtualServices, ${snapshot.destinationRules.length} DestinationRules, ${snapshot.serviceEntries.length} ServiceEntries`
console.log(`   ${files.length} files, ${counts}: valid${warnings > 0 ? ` with ${warnings} warning(s)` : ''}\n`)

// 2. Explain a handful of requests.
console.log(bold('2. What happens to these requests'))
show('A normal user reads reviews', { method: 'GET', url: 'http://reviews:9080/reviews/0', headers: { 'end-user': 'alice' } })
show('jason, the test user, reads reviews', { method: 'GET', url: 'http://reviews:9080/reviews/0', headers: { 'end-user': 'jason' } })
show('jason calls ratings', { method: 'GET', url: 'http://ratings:9080/ratings/0', headers: { 'end-user': 'jason' } })
show('Anyone else calls ratings', { method: 'GET', url: 'http://ratings:9080/ratings/0', headers: {} })
show('productpage "/"', { method: 'GET', url: 'http://productpage:9080/', headers: {} })
show('details calls the external books API', { method: 'GET', url: 'http://books.example.com/books/v1/volumes?q=isbn:0486424618', headers: {} })
show('A host no rule knows', { method: 'GET', url: 'https://api.other.example.org/v1', headers: {} })

// 3. The weighted split, decided 1,000 times with a seeded random (the same figures every run).
console.log(bold('\n3. The 90/10 canary over 1,000 seeded draws'))
const random = seededRandom(2024)
const picks = new Map()
const draws = 1000
for (let i = 0; i < draws; i++) {
  const decision = explain(snapshot, { method: 'GET', url: 'http://reviews:9080/reviews/0', headers: {} }, { random })
  const subset = decision.selected?.subset ?? '(none)'
  picks.set(subset, (picks.get(subset) ?? 0) + 1)
}
const configured = explain(snapshot, { method: 'GET', url: 'http://reviews:9080/reviews/0', headers: {} }).destinations
const total = configured.reduce((sum, d) => sum + d.weight, 0)
for (const d of configured) {
  const seen = picks.get(d.subset) ?? 0
  console.log(`   reviews ${d.subset}: configured ${percent(d.weight / total)}, observed ${percent(seen / draws)} (${seen} of ${draws})`)
}
console.log('\nTry it yourself: node packages/meshlet/bin/meshlet.js explain examples/rules/mesh --request "GET http://reviews/reviews/0" -H "end-user: jason"')

function show(title, request) {
  const d = explain(snapshot, request, { random: seededRandom(1) })
  const headers = Object.entries(request.headers).map(([k, v]) => `  ${k}: ${v}`).join('')
  console.log(`\n   ${bold(title)}: ${request.method} ${request.url}${headers}`)
  const rule = d.virtualService ? `VirtualService ${d.virtualService}, route ${d.route ? `#${d.route.index}${d.route.name ? ` "${d.route.name}"` : ''}` : 'none (404)'}` : 'no VirtualService'
  console.log(`     rule      ${rule}`)
  console.log(`     decision  ${action(d)}`)
  const extras = []
  if (d.timeoutMs != null) extras.push(`timeout ${d.timeoutMs} ms`)
  if (d.retries) extras.push(`${d.retries.attempts} retries on ${d.retries.retryOn}${d.retries.isDefault ? ' (Istio default)' : ''}`)
  if (d.fault) extras.push(fault(d.fault))
  for (const m of d.mirrors ?? []) extras.push(`mirror ${m.percentage}% to ${m.host}`)
  if (extras.length > 0) console.log(`     policy    ${extras.join('; ')}`)
}

function action(d) {
  switch (d.action) {
    case 'route': {
      const split = d.destinations.length > 1 ? ` (split ${d.destinations.map((x) => `${x.subset ?? x.host} ${x.weight}`).join(' / ')})` : ''
      return `send to ${target(d.selected)}${split}`
    }
    case 'redirect': return `answer ${d.redirect.status}, Location: ${d.redirect.location}`
    case 'directResponse': return `answer ${d.directResponse.status} locally${d.directResponse.body ? ` with "${d.directResponse.body}"` : ''}`
    case 'noRoute': return 'no route matches: 404, as Envoy answers'
    case 'passthrough': return 'unknown to the mesh: passed through to the network unchanged'
    default: return d.action
  }
}

function target(t) {
  if (!t) return '(nothing)'
  return `${t.host}${t.subset ? ` subset ${t.subset}` : ''}${t.port ? ` port ${t.port}` : ''}`
}

function fault(f) {
  const parts = []
  if (f.delay) parts.push(`delay ${f.delay.fixedDelayMs} ms for ${f.delay.percentage}% of requests`)
  if (f.abort) parts.push(`abort with ${f.abort.httpStatus ?? f.abort.grpcStatus} for ${f.abort.percentage}% of requests`)
  return `fault: ${parts.join(', ')}`
}

function percent(share) {
  return `${(share * 100).toFixed(1)}%`
}
