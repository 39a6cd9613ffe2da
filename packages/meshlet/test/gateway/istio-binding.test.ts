import { describe, expect, it } from 'vitest'
import { gateway } from './support.js'

const RULES = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec:
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["shop/*", "./admin.example", "*/api.example.com"]
  - port: { number: 8080, name: http-alt, protocol: HTTP }
    hosts: ["*/*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: first, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z" }
spec:
  hosts: [store.example]
  gateways: [istio-system/public]
  http:
  - match: [{ uri: { prefix: /a } }]
    route: [{ destination: { host: a-service, port: { number: 80 } } }]
  - route: [{ destination: { host: fallback, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: second, namespace: shop, creationTimestamp: "2026-02-01T00:00:00Z" }
spec:
  hosts: [store.example]
  gateways: [istio-system/public]
  http:
  - match: [{ uri: { prefix: /b } }]
    route: [{ destination: { host: b-service, port: { number: 80 } } }]
  - match: [{ uri: { prefix: /port-only }, port: 8080 }]
    route: [{ destination: { host: alt-service, port: { number: 80 } } }]
  - match: [{ uri: { prefix: /sidecar-only }, gateways: [mesh] }]
    route: [{ destination: { host: hidden, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: elsewhere, namespace: other }
spec:
  hosts: [other.example]
  gateways: [istio-system/public]
  http:
  - route: [{ destination: { host: other, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: admin, namespace: istio-system }
spec:
  hosts: [admin.example]
  gateways: [public]
  http:
  - route: [{ destination: { host: admin, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: wildcard, namespace: apis }
spec:
  hosts: ["*.example.com"]
  gateways: [istio-system/public]
  http:
  - route: [{ destination: { host: api, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: mesh-only, namespace: shop }
spec:
  hosts: [internal.example]
  http:
  - route: [{ destination: { host: internal, port: { number: 80 } } }]
`

/** Requests, the gateway port they arrive on, and where the gateway sends them (null: 404). */
const CASES: ReadonlyArray<{ readonly url: string; readonly port?: number; readonly host: string | null; readonly why: string }> = [
  { url: 'http://store.example/a/1', host: 'a-service.shop.svc.cluster.local', why: 'the older VirtualService route' },
  { url: 'http://store.example/b/1', host: 'b-service.shop.svc.cluster.local', why: 'merged: the newer VirtualService for the same host is reached, the older catch-all moved last' },
  { url: 'http://store.example/zzz', host: 'fallback.shop.svc.cluster.local', why: 'the catch-all, last' },
  { url: 'http://store.example/port-only', host: 'fallback.shop.svc.cluster.local', why: 'a match for port 8080 does not exist on port 80' },
  { url: 'http://store.example/port-only', port: 8080, host: 'alt-service.shop.svc.cluster.local', why: 'it exists on port 8080' },
  { url: 'http://store.example/sidecar-only', host: 'fallback.shop.svc.cluster.local', why: 'a match bound to mesh only does not apply at the gateway' },
  { url: 'http://other.example/', host: null, why: 'the server takes VirtualServices of namespace shop only' },
  { url: 'http://other.example/', port: 8080, host: 'other.other.svc.cluster.local', why: 'the server on 8080 takes every namespace' },
  { url: 'http://admin.example/', host: 'admin.istio-system.svc.cluster.local', why: './host: the Gateway\'s own namespace, and a bare gateway name in the VirtualService namespace' },
  { url: 'http://api.example.com/', host: 'api.apis.svc.cluster.local', why: 'a wildcard VirtualService host intersected with the server host' },
  { url: 'http://www.example.com/', host: null, why: 'the intersection is api.example.com only' },
  { url: 'http://internal.example/', port: 8080, host: null, why: 'a VirtualService without gateways binds to mesh only' },
]

describe('VirtualServices bound to an Istio Gateway, with Istio\'s binding, merging and precedence', () => {
  it('routes each request as Istio\'s gateway would', async () => {
    const created = await gateway({ yaml: RULES, gateway: 'istio-system/public' })
    for (const entry of CASES) {
      const decision = created.explain({ method: 'GET', url: entry.url }, entry.port === undefined ? {} : { port: entry.port })
      expect(decision.selected?.host ?? null, `${entry.url} on ${entry.port ?? 80}: ${entry.why}`).toBe(entry.host)
      if (entry.host === null) expect(decision.action).toBe('noRoute')
    }
  })

  it('names the route table and the resource the route came from', async () => {
    const created = await gateway({ yaml: RULES, gateway: 'istio-system/public' })
    const decision = created.explain({ method: 'GET', url: 'http://store.example/b' })
    expect(decision.routeTable).toBe('istio-system/public:80')
    expect(decision.source).toBe('VirtualService shop/second')
  })

  it('does not apply gateway-bound VirtualServices to mesh calls, which do not route at the gateway', async () => {
    const created = await gateway({ yaml: RULES, gateway: 'istio-system/public' })
    const snapshot = created.snapshot
    expect(snapshot.meshRoutes.lookup('other.example')).toBeUndefined()
    // A match naming `mesh` in its own gateways does apply to mesh calls.
    expect(snapshot.meshRoutes.lookup('store.example')?.virtualService.routes.map((route) => route.source.name)).toEqual(['second'])
    expect(snapshot.meshRoutes.lookup('internal.example')).toBeDefined()
  })
})
