import { describe, expect, it } from 'vitest'
import { runWithInboundContext } from '@meshlet/core'
import { FakeClock } from '@meshlet/testing'
import { createMesh } from 'meshlet'
import type { RequestEvent } from 'meshlet'
import { at, echo, mesh, upstream } from './helpers.js'

const jasonRules = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - name: jason
    match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews } }]
    corsPolicy:
      allowOrigins: [{ exact: "https://app.example.test" }]
      allowMethods: [GET, POST]
      allowHeaders: [x-custom]
      exposeHeaders: [x-exposed]
      maxAge: 60s
  - route: [{ destination: { host: reviews } }]
`

describe('createMesh', () => {
  it('throws a MeshConfigError listing every problem of invalid rules', async () => {
    const invalid = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: bad }
spec:
  hosts: [reviews]
  http:
  - timeout: 0s
    route: [{ destination: { host: reviews, subset: "not_valid" } }]
`
    await expect(createMesh({ yaml: invalid })).rejects.toMatchObject({ code: 'MESHLET_ERR_CONFIG_INVALID' })
    const error = await createMesh({ yaml: invalid }).catch((e: { diagnostics: unknown[] }) => e)
    expect((error as { diagnostics: { severity: string }[] }).diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThanOrEqual(2)
  })
})

describe('close', () => {
  it('waits for calls in flight, refuses new ones, then resolves', async () => {
    let release!: () => void
    const server = await upstream({ answers: [{ status: 200, body: 'late', until: new Promise<void>((resolve) => (release = resolve)) }] })
    const m = await mesh({ endpoints: { svc: [at(server)] } })
    const inFlight = m.fetch('http://svc/')
    await server.waitForRequests(1)
    let closed = false
    const closing = m.close().then(() => (closed = true))
    await expect(m.fetch('http://svc/')).rejects.toMatchObject({ code: 'MESHLET_ERR_MESH_CLOSED' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(closed).toBe(false)
    release()
    expect(await (await inFlight).text()).toBe('late')
    await closing
    expect(closed).toBe(true)
  })

  it('does not wait for mirrors that hang', async () => {
    const [primary, shadow] = await Promise.all([upstream(), upstream({ answers: [{ hang: true }] })])
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http: [{ route: [{ destination: { host: svc } }], mirror: { host: audit } }]
`,
      endpoints: { svc: [at(primary)], audit: [at(shadow)] },
    })
    await (await m.fetch('http://svc/')).arrayBuffer()
    await shadow.waitForRequests(1)
    await m.close()
    expect(m.closed).toBe(true)
  })
})

describe('the inbound request context', () => {
  it('copies propagated headers onto outbound calls, the call own headers winning', async () => {
    const server = await upstream()
    const m = await mesh({ endpoints: { svc: [at(server)] } })
    const body = await runWithInboundContext(
      { propagatedHeaders: { 'x-request-id': 'req-1', traceparent: 'inbound', 'end-user': 'jason' }, deadlineMs: undefined, sourceIp: '10.0.0.1' },
      async () => echo(await m.fetch('http://svc/', { headers: { traceparent: 'own' } })),
    )
    expect(body.headers['x-request-id']).toBe('req-1')
    expect(body.headers['end-user']).toBe('jason')
    expect(body.headers.traceparent).toBe('own')
  })

  it('routes on a propagated header a VirtualService matches on', async () => {
    const server = await upstream()
    const m = await mesh({ yaml: jasonRules, endpoints: { reviews: [at(server)] } })
    expect(m.headersToPropagate()).toEqual(expect.arrayContaining(['x-request-id', 'traceparent', 'b3', 'end-user']))
    const events: RequestEvent[] = []
    m.on('request', (event) => events.push(event))
    await runWithInboundContext({ propagatedHeaders: { 'end-user': 'jason' }, deadlineMs: undefined, sourceIp: undefined }, async () => (await m.fetch('http://reviews/')).arrayBuffer())
    expect(events[0]).toMatchObject({ route: 'jason', status: 200, tries: 1, endpoint: server.authority, cluster: 'outbound|80||reviews.default.svc.cluster.local' })
  })

  it('keeps an outbound call within the inbound deadline (504 when it passes)', async () => {
    const clock = new FakeClock()
    const server = await upstream({ answers: [{ hang: true }] })
    const m = await mesh({ clock, endpoints: { svc: [at(server)] } })
    const pending = runWithInboundContext({ propagatedHeaders: {}, deadlineMs: 300, sourceIp: undefined }, () => m.fetch('http://svc/'))
    await server.waitForRequests(1)
    clock.advance(300)
    const response = await pending
    expect(response.status).toBe(504)
    expect(response.headers.get('x-meshlet-reason')).toBe('timeout')
  })
})

describe('explain and CORS', () => {
  it('explains the decision for a request as plain JSON', async () => {
    const m = await mesh({ yaml: jasonRules })
    const decision = m.explain({ method: 'GET', url: 'http://reviews:9080/x', headers: { 'end-user': 'jason' } })
    expect(decision).toMatchObject({ action: 'route', route: { name: 'jason' }, virtualService: 'default/reviews' })
    expect(JSON.parse(JSON.stringify(decision))).toEqual(decision)
  })

  it('tells an inbound adapter how to answer a preflight and an actual CORS request', async () => {
    const m = await mesh({ yaml: jasonRules })
    const base = { scheme: 'http' as const, authority: 'reviews', path: '/' }
    const preflight = m.cors({ ...base, method: 'OPTIONS', headers: { origin: 'https://app.example.test', 'end-user': 'jason', 'access-control-request-method': 'POST' } })
    expect(preflight).toEqual({
      kind: 'preflight',
      headers: expect.objectContaining({ 'access-control-allow-origin': 'https://app.example.test', 'access-control-allow-methods': 'GET,POST', 'access-control-max-age': '60' }),
    })
    const actual = m.cors({ ...base, method: 'GET', headers: { origin: 'https://app.example.test', 'end-user': 'jason' } })
    expect(actual).toEqual({ kind: 'actual', headers: expect.objectContaining({ 'access-control-expose-headers': 'x-exposed' }) })
    expect(m.cors({ ...base, method: 'OPTIONS', headers: { origin: 'https://evil.example.test', 'end-user': 'jason', 'access-control-request-method': 'GET' } })).toEqual({ kind: 'forward' })
    expect(m.cors({ ...base, method: 'GET', headers: {} })).toEqual({ kind: 'none' })
  })
})
