import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import type { DnsResolver } from 'meshlet'
import { echo, mesh, upstream } from './helpers.js'

const noDns: DnsResolver = {
  resolve4: async () => [],
  resolve6: async () => [],
}

describe('ServiceEntry resolution STATIC', () => {
  it('sends to the endpoints on the targetPort, with the caller Host', async () => {
    const server = await upstream({ name: 'static' })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: api }
spec:
  hosts: [api.internal.test]
  ports: [{ number: 80, name: http, protocol: HTTP, targetPort: ${server.port} }]
  resolution: STATIC
  endpoints: [{ address: 127.0.0.1 }]
`,
    })
    const body = await echo(await m.fetch('http://api.internal.test/v1'))
    expect(body).toMatchObject({ upstream: 'static', path: '/v1' })
    expect(body.headers.host).toBe('api.internal.test')
  })

  it('calls a MESH_EXTERNAL host as the caller wrote it, in plain HTTP, as an Istio sidecar does', async () => {
    const server = await upstream({ name: 'external' })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: books }
spec:
  hosts: [books.example.test]
  location: MESH_EXTERNAL
  ports: [{ number: 80, name: http, protocol: HTTP, targetPort: ${server.port} }]
  resolution: STATIC
  endpoints: [{ address: 127.0.0.1 }]
`,
    })
    const body = await echo(await m.fetch('http://books.example.test/list?page=2'))
    expect(body).toMatchObject({ upstream: 'external', path: '/list?page=2', method: 'GET' })
    expect(body.headers.host).toBe('books.example.test')
  })

  it('maps the service port by name to each endpoint port and routes to subsets by endpoint labels', async () => {
    const [v1, v2] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: api }
spec:
  hosts: [api.internal.test]
  ports: [{ number: 8080, name: http, protocol: HTTP }]
  resolution: STATIC
  endpoints:
  - { address: 127.0.0.1, ports: { http: ${v1.port} }, labels: { version: v1 } }
  - { address: 127.0.0.1, ports: { http: ${v2.port} }, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api }
spec:
  host: api.internal.test
  subsets: [{ name: v2, labels: { version: v2 } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api }
spec:
  hosts: [api.internal.test]
  http: [{ route: [{ destination: { host: api.internal.test, subset: v2 } }] }]
`,
    })
    for (let i = 0; i < 3; i++) expect((await echo(await m.fetch('http://api.internal.test:8080/'))).upstream).toBe('v2')
    expect(v1.requests).toHaveLength(0)
  })

  it('selects WorkloadEntries by the workloadSelector', async () => {
    const vm = await upstream({ name: 'vm' })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: vm-1 }
spec:
  address: 127.0.0.1
  ports: { http: ${vm.port} }
  labels: { app: legacy }
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: other }
spec:
  address: 127.0.0.2
  labels: { app: unrelated }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: legacy }
spec:
  hosts: [legacy.internal.test]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: STATIC
  workloadSelector: { labels: { app: legacy } }
`,
    })
    for (let i = 0; i < 3; i++) expect((await echo(await m.fetch('http://legacy.internal.test/'))).upstream).toBe('vm')
  })
})

describe('unix domain socket endpoints', () => {
  it('sends to a STATIC endpoint whose address is a unix socket, with the caller Host', async () => {
    const socketPath = join(tmpdir(), `meshlet-${process.pid}-${Date.now()}.sock`)
    const server = await upstream({ name: 'socket', socketPath })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: local-socket }
spec:
  hosts: [sidecar.local.test]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: STATIC
  endpoints: [{ address: "unix://${socketPath}" }]
`,
    })
    const body = await echo(await m.fetch('http://sidecar.local.test/ping'))
    expect(body).toMatchObject({ upstream: 'socket', path: '/ping' })
    expect(body.headers.host).toBe('sidecar.local.test')
    expect(server.requests).toHaveLength(1)
  })
})

describe('ServiceEntry resolution DNS', () => {
  const dnsEntry = (port: number) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db }
spec:
  hosts: [db.example.test]
  ports: [{ number: ${port}, name: http, protocol: HTTP }]
  resolution: DNS
`

  it('resolves the host and sends to the addresses answered', async () => {
    const server = await upstream({ name: 'resolved' })
    const asked: string[] = []
    const resolver: DnsResolver = { ...noDns, resolve4: async (host) => (asked.push(host), [{ address: '127.0.0.1', ttl: 30 }]) }
    const m = await mesh({ yaml: dnsEntry(server.port), dnsResolver: resolver })
    expect((await echo(await m.fetch(`http://db.example.test:${server.port}/`))).upstream).toBe('resolved')
    expect(asked).toEqual(['db.example.test'])
  })

  it('resolves again when the TTL runs out and follows the new answer', async () => {
    const clock = new FakeClock()
    const first = await upstream({ name: 'first' })
    // Same port on another loopback address: only the DNS answer tells the two apart.
    const second = await upstream({ name: 'second', host: '127.0.0.2', port: first.port })
    let answer = '127.0.0.1'
    const resolver: DnsResolver = { ...noDns, resolve4: async () => [{ address: answer, ttl: 10 }] }
    const m = await mesh({ yaml: dnsEntry(first.port), dnsResolver: resolver, clock })
    const url = `http://db.example.test:${first.port}/`
    expect((await echo(await m.fetch(url))).upstream).toBe('first')
    answer = '127.0.0.2'
    clock.advance(9_999)
    expect((await echo(await m.fetch(url))).upstream).toBe('first')
    clock.advance(1)
    expect((await echo(await m.fetch(url))).upstream).toBe('second')
    expect(second.requests).toHaveLength(1)
  })

  it('follows a new DNS answer without compiling the rules again (an endpoint-only change)', async () => {
    const clock = new FakeClock()
    const first = await upstream({ name: 'first' })
    const second = await upstream({ name: 'second', host: '127.0.0.2', port: first.port })
    let answer = '127.0.0.1'
    const resolver: DnsResolver = { ...noDns, resolve4: async () => [{ address: answer, ttl: 10 }] }
    const m = await mesh({ yaml: dnsEntry(first.port), dnsResolver: resolver, clock })
    const reloads: unknown[] = []
    m.on('configReloaded', (event) => reloads.push(event))
    const rules = m.snapshot
    const url = `http://db.example.test:${first.port}/`
    expect((await echo(await m.fetch(url))).upstream).toBe('first')
    answer = '127.0.0.2'
    clock.advance(10_000)
    expect((await echo(await m.fetch(url))).upstream).toBe('second')
    expect(m.snapshot).toBe(rules)
    expect(m.snapshot.generation).toBe(rules.generation)
    expect(reloads).toEqual([])
  })

  it('answers 503 no-healthy-upstream when the name never resolves', async () => {
    const m = await mesh({ yaml: dnsEntry(80), dnsResolver: noDns })
    const response = await m.fetch('http://db.example.test/')
    expect(response.status).toBe(503)
    expect(response.headers.get('x-meshlet-reason')).toBe('no-healthy-upstream')
  })
})

describe('ServiceEntry resolution NONE', () => {
  it('passes the call through to the original destination with the DestinationRule policy applied', async () => {
    const server = await upstream({ name: 'original' })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: local }
spec:
  hosts: [localhost]
  ports: [{ number: ${server.port}, name: http, protocol: HTTP }]
  resolution: NONE
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: local }
spec:
  host: localhost
  trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: 1 } } }
`,
    })
    for (let i = 0; i < 3; i++) {
      const body = await echo(await m.fetch(`http://localhost:${server.port}/`))
      expect(body.upstream).toBe('original')
      expect(body.headers.host).toBe(`localhost:${server.port}`)
    }
    // maxRequestsPerConnection: 1 means no connection is reused.
    expect(server.connectionCount).toBe(3)
  })
})
