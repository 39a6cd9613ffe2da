import { describe, expect, it } from 'vitest'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { currentInboundContext, isMeshError } from '@meshlet/core'
import type { Mesh } from 'meshlet'
import { meshletFastify } from '../src/index.js'
import type { MeshletFastifyOptions } from '../src/index.js'
import { REVIEWS_BY_USER, at, json, mesh, serve, upstream } from './support.js'
import type { ProductAnswer } from './support.js'

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

/** /product calls reviews through the mesh and reports what it saw (GET, and POST with a JSON body). */
function productRoutes(m: Mesh) {
  return (app: FastifyInstance) => {
    const handler = async (request: { headers: Record<string, unknown> }) => {
      const answer = await m.fetch('http://reviews:9080/reviews/1')
      return { upstream: await answer.json(), requestId: request.headers['x-request-id'] }
    }
    app.get('/product', handler)
    app.post('/product', handler)
  }
}

async function reviewsMesh() {
  const [v1, v2] = [await upstream({ name: 'v1' }), await upstream({ name: 'v2' })]
  const m = await mesh({ yaml: REVIEWS_BY_USER, endpoints: { reviews: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
  return { v1, v2, m }
}

describe('meshletFastify header propagation', () => {
  it('hands end-user, x-request-id and traceparent from the inbound request to the upstream', async () => {
    const { v2, m } = await reviewsMesh()
    const { url } = await serve({ mesh: m }, productRoutes(m))

    await fetch(`${url}/product`, { headers: { 'end-user': 'jason', 'x-request-id': 'req-1', traceparent: TRACEPARENT, authorization: 'Bearer secret' } })

    const seen = v2.requests[0]!.headers
    expect(seen['end-user']).toBe('jason')
    expect(seen['x-request-id']).toBe('req-1')
    expect(seen.traceparent).toBe(TRACEPARENT)
    expect(seen.authorization).toBeUndefined()
  })

  it('routes by the propagated end-user header as the VirtualService says', async () => {
    const { m } = await reviewsMesh()
    const { url } = await serve({ mesh: m }, productRoutes(m))

    const asJason = await json<ProductAnswer>(await fetch(`${url}/product`, { headers: { 'end-user': 'jason' } }))
    const asAlice = await json<ProductAnswer>(await fetch(`${url}/product`, { headers: { 'end-user': 'alice' } }))
    expect(asJason.upstream.upstream).toBe('v2')
    expect(asAlice.upstream.upstream).toBe('v1')
  })

  it('gives a request without x-request-id a new one, and the handler and the upstream see the same', async () => {
    const { v1, m } = await reviewsMesh()
    const { url } = await serve({ mesh: m, generateRequestId: () => 'generated-7' }, productRoutes(m))

    const body = await json<ProductAnswer>(await fetch(`${url}/product`))
    expect(body.requestId).toBe('generated-7')
    expect(v1.requests[0]!.headers['x-request-id']).toBe('generated-7')
  })

  it('keeps the context through a JSON body that arrives slowly', async () => {
    const { v2, m } = await reviewsMesh()
    const { url } = await serve({ mesh: m }, productRoutes(m))

    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"stars":'))
        await new Promise((resolve) => setTimeout(resolve, 20))
        controller.enqueue(new TextEncoder().encode('5}'))
        controller.close()
      },
    })
    const answer = await fetch(`${url}/product`, { method: 'POST', headers: { 'content-type': 'application/json', 'end-user': 'jason' }, body, duplex: 'half' } as RequestInit)
    expect((await json<ProductAnswer>(answer)).upstream.upstream).toBe('v2')
  })

  it('keeps concurrent requests apart', async () => {
    const { m } = await reviewsMesh()
    const { url } = await serve({ mesh: m }, productRoutes(m))

    const ids = Array.from({ length: 20 }, (_, i) => `req-${i}`)
    const answers = await Promise.all(ids.map(async (id) => (await json<ProductAnswer>(await fetch(`${url}/product`, { headers: { 'x-request-id': id } }))).upstream))
    expect(answers.map((answer) => answer.headers['x-request-id'])).toEqual(ids)
  })

  it('propagates the headers the options add and not those they remove', async () => {
    const { v1, m } = await reviewsMesh()
    const { url } = await serve({ mesh: m, propagate: { add: ['x-tenant'], remove: ['traceparent'] } }, productRoutes(m))

    await fetch(`${url}/product`, { headers: { 'x-tenant': 'acme', traceparent: TRACEPARENT } })
    expect(v1.requests[0]!.headers['x-tenant']).toBe('acme')
    expect(v1.requests[0]!.headers.traceparent).toBeUndefined()
  })
})

describe('meshletFastify source address', () => {
  it('gives the context the caller\'s address as Fastify sees it (trustProxy honoured)', async () => {
    const { m } = await reviewsMesh()
    const app = Fastify({ trustProxy: true })
    await app.register(meshletFastify, { mesh: m })
    app.get('/ip', async () => ({ sourceIp: currentInboundContext()?.sourceIp }))
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    try {
      const answer = await json<{ sourceIp: string }>(await fetch(`${url}/ip`, { headers: { 'x-forwarded-for': '203.0.113.9' } }))
      expect(answer.sourceIp).toBe('203.0.113.9')
    } finally {
      await app.close()
    }
  })
})

describe('meshletFastify as a plugin', () => {
  it('carries the metadata Fastify reads: skip-override, a name and the Fastify version range', () => {
    const plugin = meshletFastify as unknown as Record<symbol, unknown>
    expect(plugin[Symbol.for('skip-override')]).toBe(true)
    expect(plugin[Symbol.for('plugin-meta')]).toEqual({ name: '@meshlet/fastify', fastify: '5.x' })
  })

  it('covers routes registered in other encapsulated plugins', async () => {
    const { v2, m } = await reviewsMesh()
    const { url } = await serve({ mesh: m }, (app) => {
      void app.register(async (child) => productRoutes(m)(child), { prefix: '/shop' })
    })

    await fetch(`${url}/shop/product`, { headers: { 'end-user': 'jason' } })
    expect(v2.requests[0]!.headers['end-user']).toBe('jason')
  })

  it('fails registration with MESHLET_ERR_INVALID_ARGUMENT when no mesh is given', async () => {
    const app = Fastify()
    let error: unknown
    try {
      await app.register(meshletFastify, {} as MeshletFastifyOptions)
    } catch (caught) {
      error = caught
    } finally {
      await app.close()
    }
    expect(isMeshError(error, 'MESHLET_ERR_INVALID_ARGUMENT')).toBe(true)
  })
})
