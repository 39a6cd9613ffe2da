import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/testing'
import { at, echo, mesh, upstream } from './helpers.js'

const reviewsRules = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        end-user: { exact: jason }
    route:
    - destination: { host: reviews, subset: v2 }
  - route:
    - destination: { host: reviews, subset: v1 }
      weight: 90
    - destination: { host: reviews, subset: v3 }
      weight: 10
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
  - { name: v3, labels: { version: v3 } }
`

describe('routing with a VirtualService', () => {
  it('sends a request matching a header rule to that rule subset', async () => {
    const [v1, v2, v3] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' }), upstream({ name: 'v3' })])
    const m = await mesh({ yaml: reviewsRules, endpoints: { reviews: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' }), at(v3, { version: 'v3' })] } })
    const response = await m.fetch('http://reviews:9080/reviews/1', { headers: { 'end-user': 'jason' } })
    expect(response.status).toBe(200)
    expect((await echo(response)).upstream).toBe('v2')
  })

  it('splits traffic by weight within statistical tolerance under a seeded random', async () => {
    const [v1, v3] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v3' })])
    const m = await mesh({ yaml: reviewsRules, random: seededRandom(7), endpoints: { reviews: [at(v1, { version: 'v1' }), at(v3, { version: 'v3' })] } })
    const counts: Record<string, number> = {}
    for (let i = 0; i < 1000; i++) {
      const body = await echo(await m.fetch('http://reviews:9080/'))
      counts[body.upstream] = (counts[body.upstream] ?? 0) + 1
    }
    // 90/10 of 1000: a binomial standard deviation is ~9.5, so ±40 is over 4 sigma.
    expect(Math.abs((counts.v1 ?? 0) - 900)).toBeLessThan(40)
    expect((counts.v1 ?? 0) + (counts.v3 ?? 0)).toBe(1000)
  })

  it('lets the upstream see the Host the caller used', async () => {
    const v1 = await upstream({ name: 'v1' })
    const m = await mesh({ yaml: reviewsRules, endpoints: { reviews: [at(v1, { version: 'v1' })] }, random: () => 0 })
    const body = await echo(await m.fetch('http://reviews:9080/a?b=c'))
    expect(body.headers.host).toBe('reviews:9080')
    expect(body.path).toBe('/a?b=c')
  })
})

describe('routing failures answer as Envoy does', () => {
  it('answers 404 with x-meshlet-reason no-route when no route matches', async () => {
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: r }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { prefix: /only } }]
    route: [{ destination: { host: reviews } }]
`,
    })
    const response = await m.fetch('http://reviews/elsewhere')
    expect(response.status).toBe(404)
    expect(response.headers.get('x-meshlet-reason')).toBe('no-route')
  })

  it('answers 503 unknown-subset when the route names a subset no DestinationRule defines', async () => {
    const v1 = await upstream()
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: r }
spec:
  hosts: [reviews]
  http:
  - route: [{ destination: { host: reviews, subset: v9 } }]
`,
      endpoints: { reviews: [at(v1)] },
    })
    const response = await m.fetch('http://reviews/')
    expect(response.status).toBe(503)
    expect(response.headers.get('x-meshlet-reason')).toBe('unknown-subset')
    expect(v1.requests).toHaveLength(0)
  })

  it('answers 503 no-healthy-upstream when no endpoint carries the subset labels', async () => {
    const v1 = await upstream()
    const m = await mesh({ yaml: reviewsRules, endpoints: { reviews: [at(v1, { version: 'v1' })] } })
    const response = await m.fetch('http://reviews/', { headers: { 'end-user': 'jason' } })
    expect(response.status).toBe(503)
    expect(response.headers.get('x-meshlet-reason')).toBe('no-healthy-upstream')
  })

  it('answers 503 connect-failure when the endpoint refuses connections, and the process carries on', async () => {
    const closed = await upstream()
    const port = closed.port
    await closed.close()
    const m = await mesh({ endpoints: { reviews: [{ address: '127.0.0.1', port }] } })
    const response = await m.fetch('http://reviews/')
    expect(response.status).toBe(503)
    expect(response.headers.get('x-meshlet-reason')).toBe('connect-failure')
    expect(await response.text()).toContain('connection failure')
  })

  it('answers 503 reset when the upstream closes the connection without answering', async () => {
    const server = await upstream({ answers: [{ reset: 'before-headers' }] })
    const m = await mesh({ endpoints: { reviews: [at(server)] } })
    const response = await m.fetch('http://reviews/')
    expect(response.status).toBe(503)
    expect(response.headers.get('x-meshlet-reason')).toBe('reset')
  })

  it('errors the body stream, not the process, when the upstream breaks off mid-body', async () => {
    const server = await upstream({ answers: [{ reset: 'after-headers' }] })
    const m = await mesh({ endpoints: { reviews: [at(server)] } })
    const response = await m.fetch('http://reviews/')
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow()
  })
})

describe('hosts without a VirtualService', () => {
  it('sends a host with rules but no VirtualService to all its endpoints in turn', async () => {
    const [a, b] = await Promise.all([upstream({ name: 'a' }), upstream({ name: 'b' })])
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings }
spec:
  host: ratings
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
`,
      endpoints: { ratings: [at(a), at(b)] },
    })
    const seen = new Set<string>()
    for (let i = 0; i < 4; i++) seen.add((await echo(await m.fetch('http://ratings:9080/'))).upstream)
    expect([...seen].sort()).toEqual(['a', 'b'])
  })

  it('passes a host the mesh knows nothing about through to the network unchanged', async () => {
    const server = await upstream({ name: 'outside' })
    const m = await mesh({})
    const response = await m.fetch(`${server.url}/x?y=1`, { method: 'POST', body: 'hi', headers: { 'x-a': 'b' } })
    const body = await echo(response)
    expect(body).toMatchObject({ upstream: 'outside', method: 'POST', path: '/x?y=1', bodyBytes: 2 })
    expect(body.headers.host).toBe(server.authority)
    expect(body.headers['x-a']).toBe('b')
  })

  it('routes a VirtualService host that no ServiceEntry declares', async () => {
    const server = await upstream({ name: 'direct' })
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ip }
spec:
  hosts: ["127.0.0.1"]
  http:
  - match: [{ uri: { prefix: /blocked } }]
    directResponse: { status: 418 }
  - route: [{ destination: { host: api.example.test, port: { number: ${server.port} } } }]
`,
      endpoints: { 'api.example.test': [{ address: '127.0.0.1' }] },
    })
    expect((await m.fetch(`${server.url}/blocked`)).status).toBe(418)
    expect((await echo(await m.fetch(`${server.url}/open`))).upstream).toBe('direct')
  })
})
