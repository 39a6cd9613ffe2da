import { describe, expect, it } from 'vitest'
import { createMesh } from 'meshlet'
import type { Mesh } from 'meshlet'
import { afterEach } from 'vitest'
import { upstream } from './support.js'

const meshes: Mesh[] = []
afterEach(async () => {
  await Promise.all(meshes.splice(0).map((mesh) => mesh.close()))
})

/** GAMMA: an HTTPRoute whose parent is a Service routes the mesh's own calls to that Service. */
const RULES = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews-split, namespace: default }
spec:
  parentRefs: [{ group: "", kind: Service, name: reviews, port: 9080 }]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /reviews }, headers: [{ name: end-user, value: jason }] }]
    backendRefs: [{ name: reviews-v2, port: 9080 }]
  - matches: [{ path: { type: PathPrefix, value: /reviews } }]
    filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: x-routed-by, value: gamma }] } }]
    backendRefs: [{ name: reviews-v1, port: 9080 }]
`

describe('an HTTPRoute whose parentRef is a Service (GAMMA)', () => {
  it('applies to createMesh\'s outbound calls to that Service and port', async () => {
    const v1 = await upstream({ name: 'reviews-v1' })
    const v2 = await upstream({ name: 'reviews-v2' })
    const plain = await upstream({ name: 'reviews' })
    const mesh = await createMesh({
      yaml: RULES,
      endpoints: {
        'reviews-v1': [{ address: '127.0.0.1', port: v1.port }],
        'reviews-v2': [{ address: '127.0.0.1', port: v2.port }],
        reviews: [{ address: '127.0.0.1', port: plain.port }],
      },
    })
    meshes.push(mesh)
    expect(plain.requests).toHaveLength(0)
    const jason = (await (await mesh.fetch('http://reviews:9080/reviews/1', { headers: { 'end-user': 'jason' } })).json()) as { upstream: string }
    expect(jason.upstream).toBe('reviews-v2')
    const other = (await (await mesh.fetch('http://reviews:9080/reviews/1')).json()) as { upstream: string; headers: Record<string, string> }
    expect(other.upstream).toBe('reviews-v1')
    expect(other.headers['x-routed-by']).toBe('gamma')
    // PathPrefix /reviews does not match /other, and no rule matches: 404, as Envoy answers.
    expect((await mesh.fetch('http://reviews:9080/other')).status).toBe(404)
    // The parentRef names port 9080: a call to another port of the Service is not routed by the HTTPRoute.
    expect(mesh.explain({ method: 'GET', url: 'http://reviews:8000/reviews/1' }).selected).toBeNull()
    expect(mesh.explain({ method: 'GET', url: 'http://reviews:9080/reviews/1' }).source).toBe('HTTPRoute default/reviews-split')
  })
})
