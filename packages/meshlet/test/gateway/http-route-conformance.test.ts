import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { Upstream } from '@meshlet/testing'
import { listening, send, upstream } from './support.js'
import { GATEWAY_API_RULES } from './http-route-rules.js'

async function backends(): Promise<Record<string, Upstream>> {
  const [v1, v2, v3, app, granted] = await Promise.all(['v1', 'v2', 'v3', 'apps-app', 'granted-app'].map((name) => upstream({ name })))
  return { v1: v1!, v2: v2!, v3: v3!, app: app!, granted: granted! }
}

async function start(options: { clock?: FakeClock } = {}) {
  const up = await backends()
  const endpoint = (server: Upstream) => [{ address: '127.0.0.1', port: server.port }]
  const started = await listening({
    yaml: GATEWAY_API_RULES,
    gateway: 'infra/web',
    random: seededRandom(3),
    ...(options.clock ? { clock: options.clock } : {}),
    endpoints: {
      'v1.infra.svc.cluster.local': endpoint(up.v1!),
      'v2.infra.svc.cluster.local': endpoint(up.v2!),
      'v3.infra.svc.cluster.local': endpoint(up.v3!),
      'app.apps.svc.cluster.local': endpoint(up.app!),
      'app.granted.svc.cluster.local': endpoint(up.granted!),
    },
  })
  return { ...started, up }
}

/** Requests and the backend that must answer them (matching, in the API's precedence order). */
const ROUTING: ReadonlyArray<{ readonly path: string; readonly method?: string; readonly headers?: Record<string, string>; readonly backend: string; readonly why: string }> = [
  { path: '/match', backend: 'v1', why: 'an Exact path' },
  { path: '/match/exact', backend: 'v2', why: 'an Exact path beats a PathPrefix that also matches' },
  { path: '/match/exact/', backend: 'v3', why: 'Exact does not ignore a trailing slash' },
  { path: '/match/prefix', backend: 'v1', why: 'a PathPrefix with a trailing slash matches the path without it' },
  { path: '/match/prefix/two', backend: 'v1', why: 'a PathPrefix matches a longer path' },
  { path: '/match/prefixed', backend: 'v3', why: 'a PathPrefix matches whole path elements only (/match/prefix/ does not match /match/prefixed)' },
  { path: '/match/prefix/one/x', backend: 'v2', why: 'the longest PathPrefix wins' },
  { path: '/regex/42', backend: 'v3', why: 'a RegularExpression path matches the whole path' },
  { path: '/headers', headers: { version: 'one' }, backend: 'v1', why: 'an Exact header match' },
  { path: '/headers', headers: { Version: 'two' }, backend: 'v2', why: 'header names are case-insensitive' },
  { path: '/headers', headers: { version: 'two', color: 'blue' }, backend: 'v3', why: 'more header matches win' },
  { path: '/query?animal=whale', backend: 'v1', why: 'an Exact query parameter match' },
  { path: '/query?animal=dolphin', backend: 'v2', why: 'another value of the same parameter' },
  { path: '/query?color=blue&animal=dolphin', backend: 'v3', why: 'more query parameter matches win' },
  { path: '/method', backend: 'v1', why: 'no method condition' },
  { path: '/method', method: 'POST', backend: 'v2', why: 'a method match beats none' },
  { path: '/shared', backend: 'v1', why: 'between equal matches of two routes, the older route wins' },
]

describe('HTTPRoute through a listening Gateway API gateway (conformance cases restated)', () => {
  it('routes each request to the backend the API precedence picks', async () => {
    const { port } = await start()
    for (const entry of ROUTING) {
      const answer = await send(port(80), { host: 'web.example', path: entry.path, method: entry.method ?? 'GET', ...(entry.headers ? { headers: entry.headers } : {}) })
      expect(answer.status, `${entry.path}: ${entry.why}`).toBe(200)
      expect(answer.json().upstream, `${entry.method ?? 'GET'} ${entry.path}: ${entry.why}`).toBe(entry.backend)
    }
  })

  it('answers 404 for a path no match covers', async () => {
    const { port } = await start()
    expect((await send(port(80), { host: 'web.example', path: '/nothing' })).status).toBe(404)
  })

  it('modifies request headers (set, add, remove) before sending, and response headers before answering', async () => {
    const { port } = await start()
    const request = await send(port(80), { host: 'web.example', path: '/set-headers', headers: { 'x-set': 'old', 'x-add': 'first', 'x-remove': 'gone' } })
    const seen = request.json().headers
    expect(seen['x-set']).toBe('one')
    expect(seen['x-add']).toBe('first, two')
    expect(seen['x-remove']).toBeUndefined()
    const response = await send(port(80), { host: 'web.example', path: '/response-headers' })
    expect(response.headers['x-resp']).toBe('set')
    expect(response.headers['x-upstream']).toBeUndefined()
    const backend = await send(port(80), { host: 'web.example', path: '/backend-headers' })
    expect(backend.json().headers['x-backend']).toBe('v2')
    expect(backend.headers['x-from-backend']).toBe('v2')
  })

  const REDIRECTS: ReadonlyArray<{ readonly path: string; readonly status: number; readonly location: string }> = [
    { path: '/redirect-scheme', status: 302, location: 'https://web.example/redirect-scheme' },
    { path: '/redirect-host', status: 301, location: 'http://example.org/redirect-host' },
    { path: '/redirect-port', status: 302, location: 'http://web.example:8083/redirect-port' },
    { path: '/redirect-full/a?q=1', status: 302, location: 'http://web.example/full?q=1' },
    { path: '/redirect-prefix/x/y', status: 302, location: 'http://web.example/new/x/y' },
  ]
  it('answers RequestRedirect filters with the status and Location the API defines', async () => {
    const { port, up } = await start()
    for (const entry of REDIRECTS) {
      const answer = await send(port(80), { host: 'web.example', path: entry.path })
      expect(answer.status, entry.path).toBe(entry.status)
      expect(answer.headers.location, entry.path).toBe(entry.location)
    }
    expect(up.v1!.requests).toHaveLength(0)
  })

  const REWRITES: ReadonlyArray<{ readonly path: string; readonly sentPath: string; readonly host?: string }> = [
    { path: '/rewrite-host/x', sentPath: '/rewrite-host/x', host: 'rewritten.example' },
    { path: '/rewrite-full/anything?q=1', sentPath: '/one?q=1' },
    { path: '/strip-prefix/three', sentPath: '/three' },
    { path: '/strip-prefix', sentPath: '/' },
  ]
  it('rewrites the Host and the path (full, or the matched prefix element by element) before sending', async () => {
    const { port } = await start()
    for (const entry of REWRITES) {
      const seen = (await send(port(80), { host: 'web.example', path: entry.path })).json()
      expect(seen.path, entry.path).toBe(entry.sentPath)
      if (entry.host) expect(seen.headers.host).toBe(entry.host)
    }
  })

  it('mirrors a copy to the mirror backend and answers with the primary', async () => {
    const { port, up } = await start()
    const answer = await send(port(80), { host: 'web.example', path: '/mirror' })
    expect(answer.json().upstream).toBe('v1')
    const [copy] = await up.v2!.waitForRequests(1)
    expect(copy!.path).toBe('/mirror')
  })

  it('splits by backendRef weights and never sends to a weight of 0', async () => {
    const { port } = await start()
    const counts: Record<string, number> = {}
    for (let i = 0; i < 200; i++) {
      const by = (await send(port(80), { host: 'web.example', path: '/weights' })).json().upstream
      counts[by] = (counts[by] ?? 0) + 1
    }
    expect(counts.v3).toBeUndefined()
    expect(counts.v1! / 200).toBeGreaterThan(0.7)
    expect(counts.v1! / 200).toBeLessThan(0.9)
  })

  it('answers 504 when the request timeout passes before the backend answers', async () => {
    const clock = new FakeClock()
    const { port, up } = await start({ clock })
    let release!: () => void
    up.v1!.script({ status: 200, until: new Promise<void>((resolve) => (release = resolve)) })
    const pending = send(port(80), { host: 'web.example', path: '/timeout' })
    await up.v1!.waitForRequests(1)
    clock.advance(200)
    const answer = await pending
    release()
    expect(answer.status).toBe(504)
    expect(answer.headers['x-meshlet-reason']).toBe('timeout')
  })

  it('answers 504 when one try to the backend takes longer than backendRequest', async () => {
    const clock = new FakeClock()
    const { port, up } = await start({ clock })
    let release!: () => void
    up.v1!.script({ status: 200, until: new Promise<void>((resolve) => (release = resolve)) })
    const pending = send(port(80), { host: 'web.example', path: '/backend-timeout' })
    await up.v1!.waitForRequests(1)
    clock.advance(100)
    const answer = await pending
    release()
    expect(answer.status).toBe(504)
    expect(answer.headers['x-meshlet-reason']).toBe('per-try-timeout')
  })

  it('retries the listed status codes the number of attempts given', async () => {
    const { port, up } = await start()
    up.v2!.script(503, 503)
    const answer = await send(port(80), { host: 'web.example', path: '/retry' })
    expect(answer.status).toBe(200)
    expect(up.v2!.requests).toHaveLength(3)
  })

  it('compiles retry into the route\'s retry policy: attempts, codes and the backoff base', async () => {
    const { gateway } = await start()
    expect(gateway.explain({ method: 'GET', url: 'http://web.example/retry' }).retries).toMatchObject({ attempts: 2, retriableStatusCodes: [503], backoffMs: 1 })
  })

  it('names the rule in explain', async () => {
    const { gateway } = await start()
    expect(gateway.explain({ method: 'GET', url: 'http://web.example/backend-headers' }).route?.name).toBe('per-backend-headers')
  })

  it('answers 500 for a rule without backends, a backendRef of an unknown kind, and one in another namespace without a ReferenceGrant', async () => {
    const { port, up } = await start()
    for (const path of ['/no-backends', '/unknown-kind', '/other-namespace']) {
      expect((await send(port(80), { host: 'web.example', path })).status, path).toBe(500)
    }
    expect(up.app!.requests).toHaveLength(0)
    const granted = await send(port(80), { host: 'web.example', path: '/granted' })
    expect(granted.json().upstream).toBe('granted-app')
  })

  it('serves a route only for the hostnames it shares with the listener', async () => {
    const { port } = await start()
    expect((await send(port(80), { host: 'only.example', path: '/only' })).json().upstream).toBe('v3')
    expect((await send(port(80), { host: 'web.example', path: '/only' })).status).toBe(404)
    // The second listener takes *.example.com only: the route is served there for api.example.com.
    expect((await send(port(8080), { host: 'api.example.com', path: '/only' })).json().upstream).toBe('v3')
    expect((await send(port(8080), { host: 'only.example', path: '/only' })).status).toBe(404)
  })

  it('reports a route the listener does not allow, and does not serve it', async () => {
    const { port, gateway } = await start()
    const status = gateway.config.routeStatus.find((entry) => entry.route.name === 'elsewhere')
    expect(status).toMatchObject({ accepted: false, reason: 'NotAllowedByListeners', parent: 'infra/web' })
    expect((await send(port(80), { host: 'elsewhere.example', path: '/' })).status).toBe(404)
    const unresolved = gateway.config.routeStatus.find((entry) => entry.route.name === 'backends')
    expect(unresolved?.resolvedRefs).toMatchObject({ resolved: false })
  })
})
