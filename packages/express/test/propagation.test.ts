import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import express from 'express'
import { isMeshError } from '@meshlet/core'
import type { Mesh } from 'meshlet'
import { meshletExpress } from '../src/index.js'
import type { MeshletExpressOptions } from '../src/index.js'
import { REVIEWS_BY_USER, at, json, mesh, serve, upstream } from './support.js'
import type { ProductAnswer } from './support.js'

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

/** A frontend whose /product handler calls reviews through the mesh and reports what it saw. */
async function frontend(m: Mesh, options: MeshletExpressOptions = {}, before?: (app: express.Express) => void): Promise<string> {
  const app = express()
  before?.(app)
  app.use(meshletExpress(m, options))
  app.use(express.json())
  const handler: express.RequestHandler = async (req, res) => {
    const answer = await m.fetch('http://reviews:9080/reviews/1')
    res.json({ upstream: await answer.json(), requestId: req.headers['x-request-id'] })
  }
  app.get('/product', handler)
  app.post('/product', handler)
  return serve(app)
}

describe('meshletExpress header propagation', () => {
  it('hands end-user, x-request-id and traceparent from the inbound request to the upstream', async () => {
    const [v1, v2] = [await upstream({ name: 'v1' }), await upstream({ name: 'v2' })]
    const m = await mesh({ yaml: REVIEWS_BY_USER, endpoints: { reviews: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
    const url = await frontend(m)

    await fetch(`${url}/product`, { headers: { 'end-user': 'jason', 'x-request-id': 'req-1', traceparent: TRACEPARENT, cookie: 'session=secret' } })

    const seen = v2.requests[0]!.headers
    expect(seen['end-user']).toBe('jason')
    expect(seen['x-request-id']).toBe('req-1')
    expect(seen.traceparent).toBe(TRACEPARENT)
    expect(seen.cookie).toBeUndefined()
  })

  it('routes by the propagated end-user header as the VirtualService says', async () => {
    const [v1, v2] = [await upstream({ name: 'v1' }), await upstream({ name: 'v2' })]
    const m = await mesh({ yaml: REVIEWS_BY_USER, endpoints: { reviews: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
    const url = await frontend(m)

    const asJason = await json<ProductAnswer>(await fetch(`${url}/product`, { headers: { 'end-user': 'jason' } }))
    const asAlice = await json<ProductAnswer>(await fetch(`${url}/product`, { headers: { 'end-user': 'alice' } }))
    expect(asJason.upstream.upstream).toBe('v2')
    expect(asAlice.upstream.upstream).toBe('v1')
  })

  it('gives a request without x-request-id a new one, and the handler and the upstream see the same', async () => {
    const v1 = await upstream({ name: 'v1' })
    const m = await mesh({ yaml: REVIEWS_BY_USER, endpoints: { reviews: [at(v1, { version: 'v1' })] } })
    const url = await frontend(m, { generateRequestId: () => 'generated-42' })

    const body = await json<ProductAnswer>(await fetch(`${url}/product`))
    expect(body.requestId).toBe('generated-42')
    expect(v1.requests[0]!.headers['x-request-id']).toBe('generated-42')
  })

  it('keeps concurrent requests apart', async () => {
    const v1 = await upstream({ name: 'v1' })
    const m = await mesh({ yaml: REVIEWS_BY_USER, endpoints: { reviews: [at(v1, { version: 'v1' })] } })
    const url = await frontend(m)

    const ids = Array.from({ length: 20 }, (_, i) => `req-${i}`)
    const answers = await Promise.all(ids.map(async (id) => (await json<ProductAnswer>(await fetch(`${url}/product`, { headers: { 'x-request-id': id } }))).upstream))
    expect(answers.map((answer) => answer.headers['x-request-id'])).toEqual(ids)
  })

  it('keeps the context through a body that arrives slowly and is parsed after the middleware', async () => {
    const v2 = await upstream({ name: 'v2' })
    const m = await mesh({ yaml: REVIEWS_BY_USER, endpoints: { reviews: [at(v2, { version: 'v2' })] } })
    const url = await frontend(m)

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
    expect(v2.requests[0]!.headers['end-user']).toBe('jason')
  })

  it('propagates the headers the options add and not those they remove', async () => {
    const v1 = await upstream({ name: 'v1' })
    const m = await mesh({ yaml: REVIEWS_BY_USER, endpoints: { reviews: [at(v1, { version: 'v1' })] } })
    const url = await frontend(m, { propagate: { add: ['X-Tenant'], remove: ['traceparent'] } })

    await fetch(`${url}/product`, { headers: { 'x-tenant': 'acme', traceparent: TRACEPARENT } })
    expect(v1.requests[0]!.headers['x-tenant']).toBe('acme')
    expect(v1.requests[0]!.headers.traceparent).toBeUndefined()
  })

  it('starts propagating a header once a reloaded rule matches on it', async () => {
    const [v1, v2] = [await upstream({ name: 'v1' }), await upstream({ name: 'v2' })]
    const dir = await mkdtemp(join(tmpdir(), 'meshlet-express-'))
    const file = join(dir, 'reviews.yaml')
    await writeFile(file, REVIEWS_BY_USER.replaceAll('end-user', 'x-canary'))
    const m = await mesh({ files: [file], endpoints: { reviews: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
    const url = await frontend(m)

    await fetch(`${url}/product`, { headers: { 'end-user': 'jason' } })
    expect(v1.requests[0]!.headers['end-user']).toBeUndefined()

    await writeFile(file, REVIEWS_BY_USER)
    expect(await m.reload()).toBe(true)
    await fetch(`${url}/product`, { headers: { 'end-user': 'jason' } })
    expect(v2.requests[0]!.headers['end-user']).toBe('jason')
  })

  it('refuses, at setup, something that is not a mesh', () => {
    let error: unknown
    try {
      meshletExpress({} as Mesh)
    } catch (caught) {
      error = caught
    }
    expect(isMeshError(error, 'MESHLET_ERR_INVALID_ARGUMENT')).toBe(true)
  })
})
