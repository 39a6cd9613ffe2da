import { describe, expect, it } from 'vitest'
import { compileResources } from '../pipeline.js'
import { parseText } from '../source/parse.js'
import type { MeshSnapshot } from '../compile/snapshot.js'
import { matchRoute } from './match-request.js'
import type { RouteRequest } from './request.js'
import { selectRoute } from './select-route.js'

const RULES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shapes }
spec:
  hosts: [shapes]
  http:
  - name: exact-header
    match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: shapes } }]
  - name: prefix-and-method
    match: [{ uri: { prefix: /api/v2/ }, method: { exact: POST } }]
    route: [{ destination: { host: shapes } }]
  - name: regex
    match: [{ uri: { regex: "/items/[0-9]+" } }]
    route: [{ destination: { host: shapes } }]
  - name: ignore-case
    match: [{ uri: { exact: /Health }, ignoreUriCase: true }]
    route: [{ destination: { host: shapes } }]
  - name: query
    match: [{ queryParams: { version: { exact: beta } } }, { queryParams: { debug: {} } }]
    route: [{ destination: { host: shapes } }]
  - name: without-header
    match: [{ uri: { prefix: /w }, withoutHeaders: { x-block: { exact: "1" } } }]
    route: [{ destination: { host: shapes } }]
  - name: without-present
    match: [{ uri: { prefix: /p }, withoutHeaders: { x-any: {} } }]
    route: [{ destination: { host: shapes } }]
  - name: pseudo-headers
    match: [{ headers: { ":method": { exact: PUT }, ":path": { prefix: "/q?x" } } }]
    route: [{ destination: { host: shapes } }]
  - name: port-scheme-authority
    match: [{ port: 8080, scheme: { exact: https } }, { authority: { prefix: "shapes:9" } }]
    route: [{ destination: { host: shapes } }]
  - name: long-and-unicode
    match: [{ uri: { exact: "/é/ünïcode" } }, { uri: { prefix: "/a" } }]
    route: [{ destination: { host: shapes } }]
  - name: catch-all
    route: [{ destination: { host: shapes } }]
`

function snapshot(): MeshSnapshot {
  const result = compileResources(parseText(RULES, 'shapes.yaml', { defaultNamespace: 'default' }).resources)
  if (!result.snapshot) throw new Error(JSON.stringify(result.diagnostics))
  return result.snapshot
}

function request(parts: Partial<Omit<RouteRequest, 'header'>> & { headers?: Record<string, string> }): RouteRequest {
  const path = parts.path ?? '/'
  const query = parts.query ?? ''
  const headers = parts.headers ?? {}
  return {
    method: parts.method ?? 'GET',
    scheme: parts.scheme ?? 'http',
    authority: parts.authority ?? 'shapes',
    path,
    query,
    pathWithQuery: query === '' ? path : `${path}?${query}`,
    port: parts.port ?? 80,
    header: (name) => headers[name],
  }
}

/** The decision as matchRoute makes it, route by route, object by object. */
function reference(snap: MeshSnapshot, req: RouteRequest): [string | undefined, unknown] {
  const routes = snap.lookupVirtualService(req.authority)!.virtualService.routes
  for (const route of routes) {
    const match = matchRoute(route, req)
    if (match !== undefined) return [route.name, match ?? undefined]
  }
  return [undefined, undefined]
}

const REQUESTS = [
  request({ headers: { 'end-user': 'jason' } }),
  request({ headers: { 'end-user': 'jasonx' } }),
  request({ headers: { 'end-user': 'Jason' } }),
  request({ method: 'POST', path: '/api/v2/orders' }),
  request({ method: 'GET', path: '/api/v2/orders' }),
  request({ method: 'POST', path: '/api/v' }),
  request({ path: '/items/42' }),
  request({ path: '/items/x' }),
  request({ path: '/HEALTH' }),
  request({ path: '/healthz' }),
  request({ query: 'version=beta' }),
  request({ query: 'a=1&debug' }),
  request({ query: 'versions=beta' }),
  request({ path: '/w' }),
  request({ path: '/w', headers: { 'x-block': '1' } }),
  request({ path: '/w', headers: { 'x-block': '2' } }),
  request({ path: '/p' }),
  request({ path: '/p', headers: { 'x-any': '' } }),
  request({ method: 'PUT', path: '/q', query: 'x=1' }),
  request({ method: 'PUT', path: '/q' }),
  request({ port: 8080, scheme: 'https' }),
  request({ port: 8080, scheme: 'http' }),
  request({ authority: 'shapes:9080' }),
  request({ path: '/é/ünïcode' }),
  request({ path: '/é/ünïcodE' }),
  request({ path: '/abc' }),
  request({ path: '/zzz' }),
  request({ path: '' }),
]

describe('the route table', () => {
  it('picks the same route and match entry as matching route by route', () => {
    const snap = snapshot()
    for (const req of REQUESTS) {
      const selection = selectRoute(snap, req)
      expect(selection.kind).toBe('virtualService')
      if (selection.kind !== 'virtualService') continue
      const [name, match] = reference(snap, req)
      expect([selection.route?.name, selection.match], `${req.method} ${req.authority}${req.pathWithQuery} ${JSON.stringify(req.header('end-user'))}`).toEqual([name, match])
    }
  })

  it('answers the same object for the same decision, so a decision allocates nothing', () => {
    const snap = snapshot()
    const req = request({ path: '/items/42' })
    expect(selectRoute(snap, req)).toBe(selectRoute(snap, request({ path: '/items/7' })))
    expect(Object.isFrozen(selectRoute(snap, req))).toBe(true)
  })

  it('keeps one table per snapshot: a new snapshot decides by its own rules', () => {
    const first = snapshot()
    const second = compileResources(parseText(RULES.replace('exact: jason', 'exact: tom'), 'shapes.yaml', { defaultNamespace: 'default' }).resources).snapshot!
    const jason = request({ headers: { 'end-user': 'jason' } })
    expect(selectRoute(first, jason).kind === 'virtualService' && (selectRoute(first, jason) as { route?: { name?: string } }).route?.name).toBe('exact-header')
    expect((selectRoute(second, jason) as { route?: { name?: string } }).route?.name).toBe('catch-all')
  })
})
