import * as grpc from '@grpc/grpc-js'
import { afterEach, describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { createMesh } from 'meshlet'
import type { CreateMeshOptions, Mesh } from 'meshlet'
import { registerMeshletGrpc } from '@meshlet/grpc'
import type { MeshletGrpc } from '@meshlet/grpc'
import { ReviewsClient, collect, get, list, startReviews } from './support.js'
import type { ReviewsServer } from './support.js'

const HOST = 'reviews.shop.svc.cluster.local'
const open: Array<{ close(): unknown }> = []
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close()
})

async function setup(rules: string, servers: ReviewsServer[], options: Partial<CreateMeshOptions> = {}): Promise<{ mesh: Mesh; grpcMesh: MeshletGrpc; client: grpc.Client }> {
  const mesh = await createMesh({
    namespace: 'shop',
    yaml: rules,
    endpoints: { [HOST]: servers.map((server) => ({ address: '127.0.0.1', port: server.port, labels: { version: server.version } })) },
    ...options,
  })
  const grpcMesh = await registerMeshletGrpc(mesh)
  const client = new ReviewsClient(grpcMesh.target(`${HOST}:9080`), grpc.credentials.createInsecure())
  open.push(mesh, grpcMesh, { close: () => client.close() })
  return { mesh, grpcMesh, client }
}

async function server(version: string, behaviour?: Parameters<typeof startReviews>[1]): Promise<ReviewsServer> {
  const started = await startReviews(version, behaviour)
  open.push(started)
  return started
}

const SUBSETS = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`

const virtualService = (http: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
${http}
`

describe('gRPC clients through the mesh (a meshlet:/// target)', () => {
  it('serves a generated client unchanged: a unary call reaches the service', async () => {
    const v1 = await server('v1')
    const { client } = await setup('', [v1])
    expect(await get(client, 'r1')).toEqual({ id: 'r1', version: 'v1', text: 'great' })
    expect(v1.calls).toBe(1)
  })

  it('splits gRPC calls between two versions by route weight', async () => {
    const v1 = await server('v1')
    const v2 = await server('v2')
    const { client } = await setup(
      `${SUBSETS}---${virtualService(`  - route:
    - { destination: { host: reviews, subset: v1 }, weight: 75 }
    - { destination: { host: reviews, subset: v2 }, weight: 25 }`)}`,
      [v1, v2],
      { random: seededRandom(7) },
    )
    const versions: string[] = []
    for (let index = 0; index < 200; index++) versions.push((await get(client, `r${index}`)).version)
    const v2Share = versions.filter((version) => version === 'v2').length / versions.length
    expect(v2Share).toBeGreaterThan(0.15)
    expect(v2Share).toBeLessThan(0.35)
    expect(v1.calls + v2.calls).toBe(200)
  })

  it('routes on the method path and on metadata', async () => {
    const v1 = await server('v1')
    const v2 = await server('v2')
    const { client } = await setup(
      `${SUBSETS}---${virtualService(`  - match: [{ uri: { exact: /shop.Reviews/Get }, headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - route: [{ destination: { host: reviews, subset: v1 } }]`)}`,
      [v1, v2],
    )
    const jason = new grpc.Metadata()
    jason.set('end-user', 'jason')
    expect((await get(client, 'a', jason)).version).toBe('v2')
    expect((await get(client, 'b')).version).toBe('v1')
    expect((await list(client, 'c', )).messages.map((m) => m.version)).toEqual(['v1', 'v1', 'v1'])
  })

  it('retries a call answered UNAVAILABLE under retryOn unavailable, and the caller sees the success', async () => {
    let failures = 1
    const v1 = await server('v1', {
      get: (call, callback) => (failures-- > 0 ? callback({ code: grpc.status.UNAVAILABLE, details: 'warming up' }) : callback(null, { id: call.request.id, version: 'v1', text: 'ok' })),
    })
    const { client } = await setup(virtualService(`  - route: [{ destination: { host: reviews } }]
    retries: { attempts: 2, retryOn: unavailable }`), [v1])
    expect((await get(client, 'r')).text).toBe('ok')
    expect(v1.calls).toBe(2)
  })

  it('does not retry INTERNAL when retryOn names only unavailable', async () => {
    const v1 = await server('v1', { get: (_call, callback) => callback({ code: grpc.status.INTERNAL, details: 'bug' }) })
    const { client } = await setup(virtualService(`  - route: [{ destination: { host: reviews } }]
    retries: { attempts: 2, retryOn: unavailable }`), [v1])
    await expect(get(client, 'r')).rejects.toMatchObject({ code: grpc.status.INTERNAL })
    expect(v1.calls).toBe(1)
  })

  it('ends a call at the route timeout with DEADLINE_EXCEEDED', async () => {
    const v1 = await server('v1', { get: (call, callback) => setTimeout(() => callback(null, { id: call.request.id, version: 'v1', text: 'late' }), 3_000).unref() })
    const { client } = await setup(virtualService(`  - route: [{ destination: { host: reviews } }]
    timeout: 150ms`), [v1])
    await expect(get(client, 'r')).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED })
  })

  it('injects a fault with grpcStatus: the caller gets that status and the service sees nothing', async () => {
    const v1 = await server('v1')
    const { client } = await setup(virtualService(`  - route: [{ destination: { host: reviews } }]
    fault: { abort: { grpcStatus: RESOURCE_EXHAUSTED, percentage: { value: 100 } } }`), [v1])
    await expect(get(client, 'r')).rejects.toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED })
    expect(v1.calls).toBe(0)
  })

  it('ejects an endpoint whose answers carry a failing grpc-status, and sends the next calls to the healthy one', async () => {
    const broken = await server('v1', { get: (_call, callback) => callback({ code: grpc.status.UNAVAILABLE, details: 'broken' }) })
    const healthy = await server('v1')
    const { mesh, client } = await setup(
      `${virtualService(`  - route: [{ destination: { host: reviews } }]
    retries: { attempts: 0 }`)}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 2, interval: 10s, baseEjectionTime: 60s, maxEjectionPercent: 50 }
`,
      [broken, healthy],
    )
    const ejected: string[] = []
    mesh.on('endpointEjected', (event) => ejected.push(event.endpoint))
    for (let index = 0; index < 6; index++) await get(client, `r${index}`).catch(() => undefined)
    expect(ejected).toEqual([`127.0.0.1:${broken.port}`])
    const before = broken.calls
    for (let index = 0; index < 10; index++) expect((await get(client, `after${index}`)).version).toBe('v1')
    expect(broken.calls).toBe(before)
  })

  it('streams a server-streaming call message by message', async () => {
    const v1 = await server('v1')
    const { client } = await setup('', [v1])
    const { messages, error } = await list(client, 's')
    expect(error).toBeUndefined()
    expect(messages.map((message) => message.text)).toEqual(['one', 'two', 'three'])
  })

  it('streams a client-streaming call message by message, each written while the call is open', async () => {
    const v1 = await server('v1')
    const { client } = await setup('', [v1])
    expect(await collect(client, ['a', 'b', 'c'])).toMatchObject({ id: 'a,b,c', text: '3 reviews' })
  })

  it('never retries a stream after its first response message, as Envoy does', async () => {
    const v1 = await server('v1', {
      list: (call) => {
        call.write({ id: 's', version: 'v1', text: 'first' })
        setImmediate(() => call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'gone' }))
      },
    })
    const { client } = await setup(virtualService(`  - route: [{ destination: { host: reviews } }]
    retries: { attempts: 3, retryOn: unavailable }`), [v1])
    const { messages, error } = await list(client, 's')
    expect(messages.map((message) => message.text)).toEqual(['first'])
    expect(error?.code).toBe(grpc.status.UNAVAILABLE)
    expect(v1.calls).toBe(1)
  })

  it('reports each call’s final gRPC status in the request event: from the trailers of a stream, from the headers of a trailers-only answer', async () => {
    const v1 = await server('v1', {
      get: (_call, callback) => callback({ code: grpc.status.NOT_FOUND, details: 'no such review' }),
      list: (call) => {
        call.write({ id: 's', version: 'v1', text: 'first' })
        setImmediate(() => call.emit('error', { code: grpc.status.DATA_LOSS, details: 'torn' }))
      },
    })
    const { mesh, client } = await setup('', [v1])
    const statuses: Array<[string, number | undefined]> = []
    mesh.on('request', (event) => statuses.push([event.url.slice(event.url.lastIndexOf('/') + 1), event.grpcStatus]))
    await get(client, 'r').catch(() => undefined)
    await list(client, 's')
    await new Promise((resolve) => setImmediate(resolve))
    expect(statuses).toEqual([
      ['Get', grpc.status.NOT_FOUND],
      ['List', grpc.status.DATA_LOSS],
    ])
  })

  it('answers UNAVAILABLE with the reason when the service has no healthy endpoint', async () => {
    const { client } = await setup('', [])
    await expect(get(client, 'r')).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE })
  })
})
