import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/testing'
import { listening, pods, send } from './support.js'

/**
 * The seed's case: an Istio ingress Gateway for bookinfo.example, and one VirtualService bound to
 * it that splits traffic by labels (DestinationRule subsets) between two services, each running
 * several pods; each service's share is balanced over its own pods.
 */
const RULES = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["shop/bookinfo.example"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: storefront, namespace: shop }
spec:
  hosts: [bookinfo.example]
  gateways: [istio-system/public]
  http:
  - route:
    - destination: { host: catalog, subset: stable }
      weight: 70
    - destination: { host: catalog-next, subset: canary }
      weight: 30
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: catalog, namespace: shop }
spec:
  host: catalog
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
  subsets:
  - { name: stable, labels: { track: stable } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: catalog-next, namespace: shop }
spec:
  host: catalog-next
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
  subsets:
  - { name: canary, labels: { track: canary } }
`

describe('an ingress gateway routing by a VirtualService bound to it', () => {
  it('splits requests 70/30 between two services by subset labels and balances each share over that service\'s pods', async () => {
    const catalog = await pods('catalog', 3)
    const next = await pods('catalog-next', 3)
    // One pod of each service lacks the subset label: the subset must never send to it.
    const { port } = await listening({
      yaml: RULES,
      gateway: 'istio-system/public',
      random: seededRandom(7),
      endpoints: {
        'catalog.shop.svc.cluster.local': catalog.map((pod, i) => ({ address: '127.0.0.1', port: pod.port, labels: { track: i < 2 ? 'stable' : 'old' } })),
        'catalog-next.shop.svc.cluster.local': next.map((pod, i) => ({ address: '127.0.0.1', port: pod.port, labels: { track: i < 2 ? 'canary' : 'old' } })),
      },
    })
    const seen = new Map<string, number>()
    for (let i = 0; i < 400; i++) {
      const answer = await send(port(80), { host: 'bookinfo.example', path: `/products/${i}` })
      expect(answer.status).toBe(200)
      const by = answer.json().upstream
      seen.set(by, (seen.get(by) ?? 0) + 1)
    }
    const catalogShare = (seen.get('catalog-0') ?? 0) + (seen.get('catalog-1') ?? 0)
    const nextShare = (seen.get('catalog-next-0') ?? 0) + (seen.get('catalog-next-1') ?? 0)
    expect(catalogShare + nextShare).toBe(400)
    expect(catalogShare / 400).toBeGreaterThan(0.62)
    expect(catalogShare / 400).toBeLessThan(0.78)
    // Round robin over the subset's two pods: each gets half its service's share, give or take one.
    expect(Math.abs((seen.get('catalog-0') ?? 0) - (seen.get('catalog-1') ?? 0))).toBeLessThanOrEqual(1)
    expect(Math.abs((seen.get('catalog-next-0') ?? 0) - (seen.get('catalog-next-1') ?? 0))).toBeLessThanOrEqual(1)
    expect(seen.has('catalog-2')).toBe(false)
    expect(seen.has('catalog-next-2')).toBe(false)
  })

  it('answers 404 for a host no bound VirtualService covers, as Istio\'s gateway does', async () => {
    const catalog = await pods('catalog', 1)
    const { port, gateway } = await listening({ yaml: RULES, gateway: 'istio-system/public', endpoints: { 'catalog.shop.svc.cluster.local': [{ address: '127.0.0.1', port: catalog[0]!.port, labels: { track: 'stable' } }] } })
    const answer = await send(port(80), { host: 'other.example', path: '/' })
    expect(answer.status).toBe(404)
    expect(answer.headers['x-meshlet-reason']).toBe('no-route')
    expect(catalog[0]!.requests).toHaveLength(0)
    expect(gateway.stats.no_route).toBe(1)
  })

  it('forwards the request with Envoy\'s edge headers: x-forwarded-for, x-forwarded-proto, x-request-id, x-envoy-external-address', async () => {
    const catalog = await pods('catalog', 1)
    const { port } = await listening({ yaml: RULES, gateway: 'istio-system/public', random: seededRandom(1), endpoints: { 'catalog.shop.svc.cluster.local': [{ address: '127.0.0.1', port: catalog[0]!.port, labels: { track: 'stable' } }], 'catalog-next.shop.svc.cluster.local': [{ address: '127.0.0.1', port: catalog[0]!.port, labels: { track: 'canary' } }] } })
    const answer = await send(port(80), { host: 'bookinfo.example:80', path: '/cart?x=1', method: 'POST', body: 'three', headers: { 'x-forwarded-for': '203.0.113.9', 'x-envoy-expected-rq-timeout-ms': '1', 'content-type': 'text/plain' } })
    const seen = answer.json()
    expect(seen.method).toBe('POST')
    expect(seen.path).toBe('/cart?x=1')
    expect(seen.bodyBytes).toBe(5)
    expect(seen.headers.host).toBe('bookinfo.example:80')
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1')
    expect(seen.headers['x-forwarded-proto']).toBe('http')
    expect(seen.headers['x-envoy-external-address']).toBe('127.0.0.1')
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    // A client cannot steer the mesh with x-envoy-* headers.
    expect(seen.headers['x-envoy-expected-rq-timeout-ms']).toBeUndefined()
    expect(seen.headers['content-type']).toBe('text/plain')
  })

  it('keeps the x-request-id a client sent', async () => {
    const catalog = await pods('catalog', 1)
    const { port } = await listening({ yaml: RULES, gateway: 'istio-system/public', random: seededRandom(1), endpoints: { 'catalog.shop.svc.cluster.local': [{ address: '127.0.0.1', port: catalog[0]!.port, labels: { track: 'stable' } }], 'catalog-next.shop.svc.cluster.local': [{ address: '127.0.0.1', port: catalog[0]!.port, labels: { track: 'canary' } }] } })
    const answer = await send(port(80), { host: 'bookinfo.example', headers: { 'x-request-id': 'abc-123' } })
    expect(answer.json().headers['x-request-id']).toBe('abc-123')
  })
})
