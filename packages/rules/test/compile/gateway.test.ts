import { describe, expect, it } from 'vitest'
import { compileMeshConfig } from '@meshlet/rules'

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: infra }
spec:
  gatewayClassName: meshlet
  listeners:
  - { name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
  - { name: grpc-only, port: 81, protocol: HTTP, allowedRoutes: { kinds: [{ kind: GRPCRoute }] } }
  - { name: shop, port: 82, protocol: HTTP, hostname: shop.example }
`

const route = (name: string, parentRef: string, extra = '') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: infra }
spec:
  parentRefs: [${parentRef}]
${extra}  rules: [{ backendRefs: [{ name: app, port: 8080 }] }]
`

describe('HTTPRoute attachment to a Gateway API Gateway', () => {
  it('reports each parentRef with the reason the API gives when it does not attach', async () => {
    const yaml = [
      GATEWAY,
      route('ok', '{ name: web, sectionName: http }'),
      route('wrong-section', '{ name: web, sectionName: nope }'),
      route('wrong-port', '{ name: web, port: 9999 }'),
      route('kinds', '{ name: web, sectionName: grpc-only }'),
      route('hostname', '{ name: web, sectionName: shop }', '  hostnames: [other.example]\n'),
    ].join('\n')
    const snapshot = await compileMeshConfig({ yaml, gateway: 'infra/web' })
    const status = Object.fromEntries(snapshot.gateway!.routeStatus.map((entry) => [entry.route.name, entry.reason]))
    expect(status).toEqual({ ok: 'Accepted', 'wrong-section': 'NoMatchingParent', 'wrong-port': 'NoMatchingParent', kinds: 'NotAllowedByListeners', hostname: 'NoMatchingListenerHostname' })
    expect(snapshot.gateway!.portFor(80)!.hosts).toEqual(['*'])
    expect(snapshot.gateway!.portFor(81)!.hosts).toEqual([])
  })

  it('gives every port of the Gateway a table that answers unknown hosts 404 and starts upstream calls in plain http', async () => {
    const snapshot = await compileMeshConfig({ yaml: [GATEWAY, route('ok', '{ name: web, sectionName: shop }')].join('\n'), gateway: 'infra/web' })
    const table = snapshot.gateway!.portFor(82)!.routes
    expect(table).toMatchObject({ name: 'infra/web:82', unknownHosts: 'strict', upstreamScheme: 'http' })
    expect(table.lookup('shop.example')).toBeDefined()
    expect(table.lookup('other.example')).toBeUndefined()
    expect(snapshot.meshRoutes).toMatchObject({ name: 'mesh', unknownHosts: 'forward', upstreamScheme: 'request' })
  })

  it('leaves the gateway out of a snapshot compiled without the option, and undefined for a Gateway not in the rules', async () => {
    expect((await compileMeshConfig({ yaml: GATEWAY })).gateway).toBeUndefined()
    expect((await compileMeshConfig({ yaml: GATEWAY, gateway: 'infra/other' })).gateway).toBeUndefined()
  })
})
