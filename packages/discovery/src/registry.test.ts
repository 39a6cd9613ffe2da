import { describe, expect, it } from 'vitest'
import { FakeClock } from '@meshlet/testing'
import { EndpointRegistry } from './registry.js'
import type { DnsResolver } from './dns/resolver.js'
import type { ServiceEntryShape } from './service-entry/shape.js'

const noDns: DnsResolver = {
  resolve4: async () => {
    throw new Error('no DNS in this test')
  },
  resolve6: async () => {
    throw new Error('no DNS in this test')
  },
}

function registry(options: Partial<ConstructorParameters<typeof EndpointRegistry>[0]> = {}) {
  return new EndpointRegistry({ namespace: 'default', domain: 'cluster.local', clock: new FakeClock(), resolver: noDns, ...options })
}

const staticEntry: ServiceEntryShape = {
  hosts: ['api.internal'],
  ports: [
    { number: 80, name: 'http', targetPort: 8080 },
    { number: 9090, name: 'admin', targetPort: undefined },
  ],
  resolution: 'STATIC',
  endpoints: [
    { address: '10.0.0.1', ports: {}, labels: { version: 'v1' }, locality: 'r/z', weight: 2 },
    { address: '10.0.0.2', ports: { http: 7070 }, labels: { version: 'v2' }, locality: undefined, weight: 0 },
  ],
}

describe('EndpointRegistry', () => {
  it('maps a service port to targetPort, or to the endpoint port named like the service port', () => {
    const endpoints = registry().endpoints('api.internal', 80, staticEntry)
    expect(endpoints).toMatchObject([
      { id: '10.0.0.1:8080', address: '10.0.0.1', port: 8080, labels: { version: 'v1' }, locality: 'r/z', weight: 2 },
      { id: '10.0.0.2:7070', port: 7070, weight: 1 },
    ])
  })

  it('keeps the service port number when neither the port nor the endpoint maps it', () => {
    expect(registry().endpoints('api.internal', 9090, staticEntry)).toMatchObject([{ port: 9090 }, { port: 9090 }])
  })

  it('answers the same array for the same ServiceEntry and port', () => {
    const mesh = registry()
    expect(mesh.endpoints('api.internal', 80, staticEntry)).toBe(mesh.endpoints('api.internal', 80, staticEntry))
  })

  it('passes a host with no ServiceEntry and no local endpoints through', () => {
    expect(registry().endpoints('example.com', 443, undefined)).toBe('passthrough')
  })

  it('passes resolution NONE through to the original destination', () => {
    expect(registry().endpoints('api.internal', 80, { ...staticEntry, resolution: 'NONE' })).toBe('passthrough')
  })

  it('expands short names of the endpoints option like rule hosts and prefers them over the ServiceEntry', () => {
    const mesh = registry({ local: { reviews: [{ address: '127.0.0.1', port: 9081, labels: { version: 'v1' } }], 'api.internal': [{ address: '127.0.0.1' }] } })
    expect(mesh.endpoints('reviews.default.svc.cluster.local', 9080, undefined)).toMatchObject([{ id: '127.0.0.1:9081', labels: { version: 'v1' } }])
    expect(mesh.endpoints('api.internal', 80, staticEntry)).toMatchObject([{ id: '127.0.0.1:80' }])
    expect(mesh.hasLocal('reviews.default.svc.cluster.local')).toBe(true)
  })

  it('selects the endpoints of a subset by all of its labels', () => {
    const mesh = registry()
    const all = mesh.endpoints('api.internal', 80, staticEntry) as readonly { id: string }[]
    const v2 = { version: 'v2' }
    expect(mesh.subset(all as never, v2).map((e) => e.id)).toEqual(['10.0.0.2:7070'])
    expect(mesh.subset(all as never, { version: 'v2', extra: 'x' })).toEqual([])
    expect(mesh.subset(all as never, v2)).toBe(mesh.subset(all as never, v2))
  })

  it('resolves the host of a DNS ServiceEntry without endpoints', async () => {
    const resolver: DnsResolver = { ...noDns, resolve4: async () => [{ address: '192.0.2.10', ttl: 60 }, { address: '192.0.2.11', ttl: 60 }] }
    const mesh = registry({ resolver })
    const entry: ServiceEntryShape = { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', targetPort: undefined }], resolution: 'DNS', endpoints: [] }
    expect(await mesh.endpoints('api.example.com', 443, entry)).toMatchObject([{ id: '192.0.2.10:443' }, { id: '192.0.2.11:443' }])
  })

  it('resolves the WorkloadEntries a DNS ServiceEntry selects, and never its own host when it selects none', async () => {
    const resolver: DnsResolver = { ...noDns, resolve4: async (name) => (name === 'db1.internal' ? [{ address: '192.0.2.21', ttl: 60 }] : [{ address: '192.0.2.99', ttl: 60 }]) }
    const mesh = registry({ resolver })
    const selected: ServiceEntryShape = {
      hosts: ['db.example.com'],
      ports: [{ number: 5432, name: 'tcp', targetPort: undefined }],
      resolution: 'DNS',
      selectsWorkloads: true,
      endpoints: [{ address: 'db1.internal', ports: {}, labels: { app: 'db' }, locality: undefined, weight: 1 }],
    }
    expect(await mesh.endpoints('db.example.com', 5432, selected)).toMatchObject([{ id: '192.0.2.21:5432', labels: { app: 'db' } }])
    expect(await mesh.endpoints('db.example.com', 5432, { ...selected, endpoints: [] })).toEqual([])
  })

  it('resolves each endpoint address of a DNS ServiceEntry, keeping its labels, and uses IP literals as they are', async () => {
    const resolver: DnsResolver = { ...noDns, resolve4: async (host) => (host === 'a.example.com' ? [{ address: '192.0.2.1', ttl: 60 }] : []) }
    const entry: ServiceEntryShape = {
      hosts: ['svc.example.com'],
      ports: [{ number: 80, name: 'http', targetPort: undefined }],
      resolution: 'DNS',
      endpoints: [
        { address: 'a.example.com', ports: {}, labels: { zone: 'a' }, locality: undefined, weight: 1 },
        { address: '192.0.2.9', ports: { http: 8000 }, labels: { zone: 'b' }, locality: undefined, weight: 1 },
      ],
    }
    expect(await registry({ resolver }).endpoints('svc.example.com', 80, entry)).toMatchObject([
      { id: '192.0.2.1:80', labels: { zone: 'a' } },
      { id: '192.0.2.9:8000', labels: { zone: 'b' } },
    ])
  })

  it('keeps only the first address of a DNS_ROUND_ROBIN name', async () => {
    const resolver: DnsResolver = { ...noDns, resolve4: async () => [{ address: '192.0.2.10', ttl: 60 }, { address: '192.0.2.11', ttl: 60 }] }
    const entry: ServiceEntryShape = { hosts: ['api.example.com'], ports: [], resolution: 'DNS_ROUND_ROBIN', endpoints: [] }
    expect(await registry({ resolver }).endpoints('api.example.com', 80, entry)).toMatchObject([{ id: '192.0.2.10:80' }])
  })

  it('answers the same passthrough endpoint for the same name and port', () => {
    const mesh = registry()
    expect(mesh.passthrough('example.com', 443)).toBe(mesh.passthrough('example.com', 443))
    expect(mesh.passthrough('example.com', 443)[0]).toMatchObject({ address: 'example.com', port: 443 })
  })
})
