import { describe, expect, it } from 'vitest'
import { loadMeshConfig, selectRoute } from '@meshlet/rules'
import { MeshRouteRequest } from './route-request.js'

const request = (method: string, scheme: 'http' | 'https', authority: string, path: string) =>
  new MeshRouteRequest({ method, scheme, authority, path, headers: { ':method': 'PUT' }, body: null })

describe('MeshRouteRequest', () => {
  it('splits the path from the query and keeps both together for :path', () => {
    const route = request('GET', 'http', 'items:8080', '/a/b?x=1&y')
    expect([route.path, route.query, route.pathWithQuery, route.port]).toEqual(['/a/b', 'x=1&y', '/a/b?x=1&y', 8080])
  })

  it('lets pseudo-header matches read the request line, not headers of that name', async () => {
    const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: items}
spec:
  hosts: [items]
  http:
  - name: match-all-four
    match:
    - headers:
        ":method": {exact: POST}
        ":authority": {exact: "items:8080"}
        ":scheme": {exact: https}
        ":path": {prefix: "/a/b?x="}
    directResponse: {status: 204}
  - name: rest
    directResponse: {status: 200}
`
    const { snapshot } = await loadMeshConfig({ yaml })
    const routeOf = (r: MeshRouteRequest) => {
      const selection = selectRoute(snapshot!, r)
      return selection.kind === 'virtualService' ? selection.route?.name : undefined
    }
    expect(routeOf(request('POST', 'https', 'items:8080', '/a/b?x=1'))).toBe('match-all-four')
    expect(routeOf(request('PUT', 'https', 'items:8080', '/a/b?x=1'))).toBe('rest')
    expect(routeOf(request('POST', 'http', 'items:8080', '/a/b?x=1'))).toBe('rest')
    expect(routeOf(request('POST', 'https', 'items', '/a/b?x=1'))).toBe('rest')
    expect(routeOf(request('POST', 'https', 'items:8080', '/a/b'))).toBe('rest')
  })
})
