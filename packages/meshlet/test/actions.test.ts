import { describe, expect, it } from 'vitest'
import { at, echo, mesh, upstream } from './helpers.js'

function virtualService(http: string, host = 'svc'): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: vs }
spec:
  hosts: [${host}]
  http:
${http}
`
}

describe('rewrite', () => {
  it('replaces the matched prefix with rewrite.uri, keeping the rest and the query', async () => {
    const server = await upstream()
    const m = await mesh({
      yaml: virtualService(`
  - match: [{ uri: { prefix: /old } }]
    rewrite: { uri: /new }
    route: [{ destination: { host: svc } }]`),
      endpoints: { svc: [at(server)] },
    })
    expect((await echo(await m.fetch('http://svc/old/path?q=1'))).path).toBe('/new/path?q=1')
  })

  it('replaces the whole path after an exact match', async () => {
    const server = await upstream()
    const m = await mesh({
      yaml: virtualService(`
  - match: [{ uri: { exact: /login } }]
    rewrite: { uri: /auth/login }
    route: [{ destination: { host: svc } }]`),
      endpoints: { svc: [at(server)] },
    })
    expect((await echo(await m.fetch('http://svc/login'))).path).toBe('/auth/login')
  })

  it('rewrites the path with a regex and its groups', async () => {
    const server = await upstream()
    const m = await mesh({
      yaml: virtualService(`
  - match: [{ uri: { prefix: /users } }]
    rewrite:
      uriRegexRewrite: { match: '^/users/([0-9]+)/profile$', rewrite: '/profiles/\\1' }
    route: [{ destination: { host: svc } }]`),
      endpoints: { svc: [at(server)] },
    })
    expect((await echo(await m.fetch('http://svc/users/42/profile'))).path).toBe('/profiles/42')
  })

  it('sends the rewritten authority as Host', async () => {
    const server = await upstream()
    const m = await mesh({
      yaml: virtualService(`
  - rewrite: { authority: internal.example.test }
    route: [{ destination: { host: svc } }]`),
      endpoints: { svc: [at(server)] },
    })
    expect((await echo(await m.fetch('http://svc:8080/'))).headers.host).toBe('internal.example.test')
  })
})

describe('redirect', () => {
  const redirectRules = virtualService(`
  - match: [{ uri: { prefix: /v1 } }]
    redirect: { prefixRewrite: /v2, redirectCode: 308 }
  - match: [{ uri: { exact: /moved } }]
    redirect: { uri: /here, authority: other }
  - route: [{ destination: { host: svc } }]`)

  it('is followed the way fetch follows redirects', async () => {
    const server = await upstream()
    const m = await mesh({ yaml: redirectRules, endpoints: { svc: [at(server)] } })
    const response = await m.fetch('http://svc/v1/items?x=1', { method: 'POST', body: 'payload' })
    expect(response.status).toBe(200)
    expect(response.redirected).toBe(true)
    expect(response.url).toBe('http://svc/v2/items?x=1')
    const body = await echo(response)
    expect(body).toMatchObject({ path: '/v2/items?x=1', method: 'POST', bodyBytes: 7 })
  })

  it('is returned as is with redirect: manual', async () => {
    const m = await mesh({ yaml: redirectRules })
    const response = await m.fetch('http://svc/moved', { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe('http://other/here')
    expect(response.headers.get('x-meshlet-reason')).toBeNull()
  })

  it('turns a POST into a GET on a followed 301, as fetch does', async () => {
    const other = await upstream({ name: 'other' })
    const m = await mesh({ yaml: redirectRules, endpoints: { other: [at(other)] } })
    const body = await echo(await m.fetch('http://svc/moved', { method: 'POST', body: 'x' }))
    expect(body).toMatchObject({ upstream: 'other', method: 'GET', path: '/here', bodyBytes: 0 })
    expect(body.headers.host).toBe('other')
  })

  it('rejects with redirect: error', async () => {
    const m = await mesh({ yaml: redirectRules })
    await expect(m.fetch('http://svc/moved', { redirect: 'error' })).rejects.toMatchObject({ code: 'MESHLET_ERR_INVALID_REQUEST' })
  })

  it('sets scheme and port as the rule says', async () => {
    const m = await mesh({
      yaml: virtualService(`
  - redirect: { scheme: https, port: 8443 }`),
    })
    const response = await m.fetch('http://svc/a?b=1', { redirect: 'manual' })
    expect(response.headers.get('location')).toBe('https://svc:8443/a?b=1')
  })
})

describe('directResponse', () => {
  it('answers with the status and body of the rule without calling any upstream', async () => {
    const server = await upstream()
    const m = await mesh({
      yaml: virtualService(`
  - match: [{ uri: { prefix: /maintenance } }]
    directResponse: { status: 503, body: { string: "down for maintenance" } }
  - route: [{ destination: { host: svc } }]`),
      endpoints: { svc: [at(server)] },
    })
    const response = await m.fetch('http://svc/maintenance')
    expect(response.status).toBe(503)
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(await response.text()).toBe('down for maintenance')
    expect(server.requests).toHaveLength(0)
  })

  it('decodes a bytes body', async () => {
    const m = await mesh({ yaml: virtualService(`
  - directResponse: { status: 200, body: { bytes: ${Buffer.from('binary!').toString('base64')} } }`) })
    expect(await (await m.fetch('http://svc/')).text()).toBe('binary!')
  })
})

describe('header operations', () => {
  it('sets, adds and removes request and response headers at route and destination level', async () => {
    const server = await upstream({ fallback: { echo: true, headers: { 'x-upstream-secret': 's', 'x-keep': 'k' } } })
    const m = await mesh({
      yaml: virtualService(`
  - headers:
      request:
        set: { x-route: route, x-both: from-route }
        add: { x-added: second }
        remove: [x-drop]
      response:
        set: { x-resp-route: r }
        remove: [x-upstream-secret]
    route:
    - destination: { host: svc }
      headers:
        request: { set: { x-dest: dest, x-both: from-destination } }
        response: { add: { x-resp-dest: d } }`),
      endpoints: { svc: [at(server)] },
    })
    const response = await m.fetch('http://svc/', { headers: { 'x-drop': 'gone', 'x-added': 'first' } })
    const seen = (await echo(response)).headers
    expect(seen['x-route']).toBe('route')
    expect(seen['x-dest']).toBe('dest')
    // With a single destination Istio appends its operations after the route's: the destination's set wins.
    expect(seen['x-both']).toBe('from-destination')
    expect(seen['x-added']).toBe('first, second')
    expect(seen['x-drop']).toBeUndefined()
    expect(response.headers.get('x-resp-route')).toBe('r')
    expect(response.headers.get('x-resp-dest')).toBe('d')
    expect(response.headers.get('x-upstream-secret')).toBeNull()
    expect(response.headers.get('x-keep')).toBe('k')
  })

  it('lets the route-level set win over a destination-level set when the route has several destinations', async () => {
    const server = await upstream()
    const m = await mesh({
      yaml: virtualService(`
  - headers:
      request: { set: { x-both: from-route } }
    route:
    - destination: { host: svc }
      weight: 99
      headers:
        request: { set: { x-both: from-destination } }
    - destination: { host: other }
      weight: 1`),
      endpoints: { svc: [at(server)] },
      random: () => 0,
    })
    const seen = (await echo(await m.fetch('http://svc/'))).headers
    expect(seen['x-both']).toBe('from-route')
  })
})
