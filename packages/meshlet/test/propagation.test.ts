import { describe, expect, it } from 'vitest'
import { runWithInboundContext } from '@meshlet/core'
import type { InboundContext } from '@meshlet/core'
import { at, echo, mesh, upstream } from './helpers.js'

// Headers handed on from the inbound request: trace context goes with every call, routing and
// identity headers (end-user, what a rule matches on, what an adapter adds) only to the mesh's own
// services, and never across an origin change on a redirect.

const inbound: InboundContext = {
  propagatedHeaders: { 'x-request-id': 'req-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'end-user': 'jason', 'x-tenant': 'blue' },
  deadlineMs: undefined,
  sourceIp: '10.0.0.1',
}
const handling = <T>(work: () => Promise<T>): Promise<T> => runWithInboundContext(inbound, work)

function serviceEntry(name: string, host: string, location: 'MESH_EXTERNAL' | 'MESH_INTERNAL', port: number): string {
  return `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name} }
spec:
  hosts: [${host}]
  location: ${location}
  resolution: STATIC
  ports: [{ number: 80, name: http, protocol: HTTP, targetPort: ${port} }]
  endpoints: [{ address: 127.0.0.1 }]
`
}

describe('headers handed on from the inbound request', () => {
  it('all reach a service of the mesh', async () => {
    const server = await upstream()
    const m = await mesh({ endpoints: { reviews: [at(server)] } })
    const seen = (await handling(async () => echo(await m.fetch('http://reviews/')))).headers
    expect(seen).toMatchObject({ 'x-request-id': 'req-1', traceparent: inbound.propagatedHeaders.traceparent, 'end-user': 'jason', 'x-tenant': 'blue' })
  })

  it('reach a host the mesh does not know with trace context only', async () => {
    const server = await upstream()
    const m = await mesh({})
    const seen = (await handling(async () => echo(await m.fetch(`${server.url}/`)))).headers
    expect(seen).toMatchObject({ 'x-request-id': 'req-1', traceparent: inbound.propagatedHeaders.traceparent })
    expect(seen['end-user']).toBeUndefined()
    expect(seen['x-tenant']).toBeUndefined()
  })

  it('reach a MESH_EXTERNAL ServiceEntry host with trace context only, and a MESH_INTERNAL one in full', async () => {
    const external = await upstream()
    const internal = await upstream()
    const m = await mesh({ yaml: [serviceEntry('payments', 'api.payments.example', 'MESH_EXTERNAL', external.port), serviceEntry('ledger', 'ledger.corp.example', 'MESH_INTERNAL', internal.port)] })
    const outside = (await handling(async () => echo(await m.fetch('http://api.payments.example/')))).headers
    expect(outside.traceparent).toBe(inbound.propagatedHeaders.traceparent)
    expect(outside['end-user']).toBeUndefined()
    const inside = (await handling(async () => echo(await m.fetch('http://ledger.corp.example/')))).headers
    expect(inside['end-user']).toBe('jason')
  })

  it('are kept when the caller set them itself, wherever the call goes', async () => {
    const server = await upstream()
    const m = await mesh({})
    const seen = (await handling(async () => echo(await m.fetch(`${server.url}/`, { headers: { 'end-user': 'set-by-caller' } })))).headers
    expect(seen['end-user']).toBe('set-by-caller')
  })

  it('do not follow a redirect to another origin, even one inside the mesh; trace context does', async () => {
    const landing = await upstream()
    const redirecting = await upstream({ answers: [{ status: 302, headers: { location: 'http://landing/welcome' } }] })
    const m = await mesh({ endpoints: { shop: [at(redirecting)], landing: [at(landing)] } })
    const seen = (await handling(async () => echo(await m.fetch('http://shop/checkout')))).headers
    expect(redirecting.requests[0]!.headers['end-user']).toBe('jason')
    expect(seen['end-user']).toBeUndefined()
    expect(seen['x-tenant']).toBeUndefined()
    expect(seen.traceparent).toBe(inbound.propagatedHeaders.traceparent)
  })

  it('follow a redirect within the same origin', async () => {
    const shop = await upstream({ answers: [{ status: 302, headers: { location: '/cart' } }] })
    const m = await mesh({ endpoints: { shop: [at(shop)] } })
    const seen = (await handling(async () => echo(await m.fetch('http://shop/checkout')))).headers
    expect(seen['end-user']).toBe('jason')
  })

  it('are not sent with a mirrored copy to a host outside the mesh', async () => {
    const primary = await upstream()
    const shadow = await upstream()
    const m = await mesh({
      yaml: [
        serviceEntry('audit', 'audit.vendor.example', 'MESH_EXTERNAL', shadow.port),
        `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop }
spec:
  hosts: [shop]
  http:
  - route: [{ destination: { host: shop } }]
    mirror: { host: audit.vendor.example }
`,
      ],
      endpoints: { shop: [at(primary)] },
    })
    await handling(async () => (await m.fetch('http://shop/')).arrayBuffer())
    const [copy] = await shadow.waitForRequests(1)
    expect(primary.requests[0]!.headers['end-user']).toBe('jason')
    expect(copy!.headers['end-user']).toBeUndefined()
    expect(copy!.headers.traceparent).toBe(inbound.propagatedHeaders.traceparent)
  })
})
