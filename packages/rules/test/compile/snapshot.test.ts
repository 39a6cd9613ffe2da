import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { explain } from '@meshlet/rules'
import type { MeshSnapshot } from '@meshlet/rules'
import { compileYaml, destinationRule, virtualService } from './helpers.js'

const rules =
  virtualService(
    'reviews',
    `
hosts: [reviews]
http:
- name: jason
  match:
  - headers: {end-user: {exact: jason}}
  - queryParams: {canary: {exact: ""}}
  route:
  - destination: {host: reviews, subset: v2}
  fault:
    delay: {fixedDelay: 2s, percentage: {value: 10}}
- name: api
  match:
  - uri: {regex: "/api/v[0-9]+/.*"}
  rewrite: {uri: /internal/}
  retries: {attempts: 3, retryOn: "5xx,503"}
  route:
  - destination: {host: reviews, subset: v1}
    weight: 70
  - destination: {host: reviews, subset: v3}
    weight: 30
  mirror: {host: reviews-shadow}
- name: rest
  route:
  - destination: {host: reviews, subset: v1}
`,
  ) +
  destinationRule(
    'reviews',
    `
host: reviews
trafficPolicy:
  outlierDetection: {consecutive5xxErrors: 2}
subsets:
- name: v1
  labels: {version: v1}
- name: v2
  labels: {version: v2}
- name: v3
  labels: {version: v3}
`,
  )

function data(snapshot: MeshSnapshot): string {
  const { generation: _generation, ...rest } = snapshot
  const policies = snapshot.destinationRules.map((rule) => [undefined, ...rule.subsets.map((subset) => subset.name)].map((subset) => rule.policyFor(subset, 9080)))
  return JSON.stringify({ ...rest, policies })
}

const requests = [
  { method: 'GET', url: 'http://reviews:9080/reviews/1', headers: { 'end-user': 'jason' } },
  { method: 'GET', url: 'http://reviews:9080/x?canary' },
  { method: 'POST', url: 'http://reviews/api/v2/items?q=1' },
  { method: 'GET', url: 'http://reviews/other' },
  { method: 'GET', url: 'http://unknown.example.com/' },
]

describe('the compiled snapshot', () => {
  it('is deterministic: the same input compiles to the same data and the same decisions', async () => {
    const first = await compileYaml(rules)
    const second = await compileYaml(rules)
    expect(data(second)).toBe(data(first))
    for (const request of requests) {
      for (let seed = 1; seed <= 20; seed++) {
        expect(JSON.stringify(explain(second, request, { random: seededRandom(seed) }))).toBe(JSON.stringify(explain(first, request, { random: seededRandom(seed) })))
      }
    }
  })

  it('numbers each compile with a growing generation', async () => {
    const first = await compileYaml(rules)
    const second = await compileYaml(rules)
    expect(second.generation).toBeGreaterThan(first.generation)
  })

  it('is deeply frozen', async () => {
    const snapshot = await compileYaml(rules)
    const route = snapshot.virtualServices[0]!.routes[1]!
    expect(Object.isFrozen(snapshot)).toBe(true)
    expect(Object.isFrozen(snapshot.virtualServices)).toBe(true)
    expect(Object.isFrozen(route)).toBe(true)
    expect(Object.isFrozen(route.matches![0]!.uri)).toBe(true)
    expect(Object.isFrozen(route.action.kind === 'route' && route.action.cumulativeWeights)).toBe(true)
    expect(Object.isFrozen(snapshot.identity.labels)).toBe(true)
    expect(Object.isFrozen(snapshot.resources[0]!.object)).toBe(true)
    expect(() => {
      ;(route as { timeoutMs: number | undefined }).timeoutMs = 1
    }).toThrow(TypeError)
  })

  it('keeps matchers working after freezing (RE2 programs are not frozen)', async () => {
    const snapshot = await compileYaml(rules)
    const uri = snapshot.virtualServices[0]!.routes[1]!.matches![0]!.uri!
    expect(uri.test('/api/v1/x')).toBe(true)
    expect(uri.test('/api/vx/x')).toBe(false)
  })

  it('keeps the warnings it was given and the identity it was compiled for', async () => {
    const snapshot = await compileYaml(rules, { namespace: 'shop', labels: { app: 'web' } })
    expect(snapshot.identity).toEqual({ namespace: 'shop', labels: { app: 'web' }, domain: 'cluster.local' })
    expect(Array.isArray(snapshot.diagnostics)).toBe(true)
  })
})
