import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { HTTPError, RequestError } from 'got'
import { isMeshError } from '@meshlet/core'
import type { EchoBody } from '@meshlet/testing'
import { createMeshGot } from '../src/index.js'
import { at, mesh, reviewsRoutes, upstream } from './support.js'

const BY_USER = reviewsRoutes(`
  - match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - match: [{ uri: { prefix: /reviews } }]
    route: [{ destination: { host: reviews, subset: v1 } }]`)

async function reviews() {
  const [v1, v2] = [await upstream({ name: 'v1' }), await upstream({ name: 'v2' })]
  const m = await mesh({ yaml: BY_USER, endpoints: { reviews: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
  return { v1, v2, m }
}

describe('createMeshGot', () => {
  it('sends requests through the mesh, which routes them as the VirtualService says', async () => {
    const { m } = await reviews()
    const client = createMeshGot(m)
    const asJason = await client('http://reviews:9080/reviews/1', { headers: { 'end-user': 'jason' } }).json<EchoBody>()
    const asAlice = await client('http://reviews:9080/reviews/1').json<EchoBody>()
    expect(asJason.upstream).toBe('v2')
    expect(asAlice.upstream).toBe('v1')
  })

  it('keeps the options it was given, such as a prefix URL and headers', async () => {
    const { v1, m } = await reviews()
    const client = createMeshGot(m, { prefixUrl: 'http://reviews:9080/reviews', headers: { 'x-client': 'got' } })
    await client('7').text()
    expect(v1.requests[0]!.path).toBe('/reviews/7')
    expect(v1.requests[0]!.headers['x-client']).toBe('got')
  })

  it('rejects with got\'s HTTPError for a reply the mesh made itself, naming the reason', async () => {
    const { m } = await reviews()
    const client = createMeshGot(m)
    const error = await client('http://reviews:9080/nowhere').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(HTTPError)
    expect((error as HTTPError).response.statusCode).toBe(404)
    expect((error as HTTPError).response.headers['x-meshlet-reason']).toBe('no-route')
  })

  it('does not retry in got: an upstream 503 reaches the upstream once and rejects once', async () => {
    const failing = await upstream({ name: 'v1', fallback: 503 })
    const m = await mesh({ yaml: reviewsRoutes(`
  - retries: { attempts: 0 }
    route: [{ destination: { host: reviews, subset: v1 } }]`), endpoints: { reviews: [at(failing, { version: 'v1' })] } })
    const client = createMeshGot(m)

    const error = await client('http://reviews:9080/reviews/1').catch((caught: unknown) => caught)
    expect((error as HTTPError).response.statusCode).toBe(503)
    expect((error as HTTPError).response.retryCount).toBe(0)
    expect(failing.requests).toHaveLength(1)
  })

  it('leaves a failure the mesh retries to the mesh: got sees one answer and never retries itself', async () => {
    const flaky = await upstream({ name: 'v1', answers: [503, 503] })
    const m = await mesh({ yaml: reviewsRoutes(`
  - retries: { attempts: 2, retryOn: 5xx }
    route: [{ destination: { host: reviews, subset: v1 } }]`), endpoints: { reviews: [at(flaky, { version: 'v1' })] } })

    const answer = await createMeshGot(m)('http://reviews:9080/reviews/1')
    expect(answer.statusCode).toBe(200)
    expect(answer.retryCount).toBe(0)
    expect(flaky.requests).toHaveLength(3)
  })

  it('makes 1 + attempts calls for a failure that persists, not got\'s retries times the mesh\'s', async () => {
    const failing = await upstream({ name: 'v1', fallback: 503 })
    const m = await mesh({ yaml: reviewsRoutes(`
  - retries: { attempts: 2, retryOn: 5xx }
    route: [{ destination: { host: reviews, subset: v1 } }]`), endpoints: { reviews: [at(failing, { version: 'v1' })] } })

    const error = await createMeshGot(m)('http://reviews:9080/reviews/1').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(HTTPError)
    expect((error as HTTPError).response.retryCount).toBe(0)
    expect(failing.requests).toHaveLength(3)
  })

  it('sends a JSON body and reads a JSON answer', async () => {
    const { v1, m } = await reviews()
    const client = createMeshGot(m)
    const answer = await client.post('http://reviews:9080/reviews', { json: { stars: 5 } }).json<EchoBody>()
    expect(answer.method).toBe('POST')
    expect(v1.requests[0]!.body).toBe('{"stars":5}')
    expect(v1.requests[0]!.headers['content-type']).toBe('application/json')
  })

  it('streams a large download as it arrives', async () => {
    const big = await upstream({ name: 'v1', fallback: { streamBytes: 8 * 1024 * 1024, chunkBytes: 64 * 1024 } })
    const m = await mesh({ yaml: BY_USER, endpoints: { reviews: [at(big, { version: 'v1' })] } })
    const client = createMeshGot(m)

    let bytes = 0
    let chunks = 0
    for await (const chunk of client.stream('http://reviews:9080/reviews/big')) {
      bytes += (chunk as Buffer).length
      chunks += 1
    }
    expect(bytes).toBe(8 * 1024 * 1024)
    expect(chunks).toBeGreaterThan(1)
  })

  it('streams an upload piped into a got stream', async () => {
    const sink = await upstream({ name: 'v1', keepBodies: false })
    const m = await mesh({ yaml: BY_USER, endpoints: { reviews: [at(sink, { version: 'v1' })] } })
    const client = createMeshGot(m)

    async function* chunks() {
      for (let i = 0; i < 64; i++) {
        yield Buffer.alloc(64 * 1024, i)
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const received: Buffer[] = []
    await pipeline(Readable.from(chunks()), client.stream.post('http://reviews:9080/reviews/upload'), async (answer) => {
      for await (const chunk of answer) received.push(chunk as Buffer)
    })
    expect(sink.requests[0]!.bodyBytes).toBe(64 * 64 * 1024)
    expect(JSON.parse(Buffer.concat(received).toString()).bodyBytes).toBe(64 * 64 * 1024)
  })

  it('runs got hooks around the mesh call', async () => {
    const { v1, m } = await reviews()
    const seen: number[] = []
    const client = createMeshGot(m, {
      hooks: {
        beforeRequest: [(options) => void (options.headers['x-hooked'] = 'yes')],
        afterResponse: [(response) => {
          seen.push(response.statusCode)
          return response
        }],
      },
    })
    await client('http://reviews:9080/reviews/1')
    expect(v1.requests[0]!.headers['x-hooked']).toBe('yes')
    expect(seen).toEqual([200])
  })

  it('decompresses a gzip answer once', async () => {
    const zipped = await upstream({ name: 'v1', fallback: { status: 200, headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' }, body: gzipSync('hello from reviews') } })
    const m = await mesh({ yaml: BY_USER, endpoints: { reviews: [at(zipped, { version: 'v1' })] } })
    expect(await createMeshGot(m)('http://reviews:9080/reviews/1').text()).toBe('hello from reviews')
  })

  it('follows a redirect from the upstream with got, sending the next request through the mesh too', async () => {
    const { v1, m } = await reviews()
    v1.script({ status: 302, headers: { location: 'http://reviews:9080/reviews/new' } })
    const answer = await createMeshGot(m)('http://reviews:9080/reviews/old').json<EchoBody>()
    expect(answer.path).toBe('/reviews/new')
    // Both hops reached the upstream by the mesh's routing: `reviews` is not in DNS.
    expect(v1.requests.map((request) => [request.path, request.headers.host])).toEqual([
      ['/reviews/old', 'reviews:9080'],
      ['/reviews/new', 'reviews:9080'],
    ])
  })

  it('aborts the mesh call when got is aborted', async () => {
    let upstreamSawClose = false
    const hanging = await upstream({
      name: 'v1',
      answers: [(_request, _response, incoming) => void incoming.socket.once('close', () => (upstreamSawClose = true))],
    })
    const m = await mesh({ yaml: BY_USER, endpoints: { reviews: [at(hanging, { version: 'v1' })] } })
    const controller = new AbortController()
    const pending = createMeshGot(m)('http://reviews:9080/reviews/1', { signal: controller.signal }).catch((caught: unknown) => caught)
    await hanging.waitForRequests(1)
    controller.abort()
    expect((await pending as Error).name).toBe('AbortError')
    await new Promise<void>((resolve) => {
      const poll = () => (upstreamSawClose ? resolve() : setImmediate(poll))
      poll()
    })
    expect(upstreamSawClose).toBe(true)
  })

  it('refuses, at creation, a got retry limit and a replaced request function', async () => {
    const { m } = await reviews()
    const errors = [() => createMeshGot(m, { retry: { limit: 2 } }), () => createMeshGot(m, { request: () => undefined })].map((create) => {
      try {
        create()
        return undefined
      } catch (caught) {
        return caught
      }
    })
    for (const error of errors) expect(isMeshError(error, 'MESHLET_ERR_INVALID_ARGUMENT')).toBe(true)
  })

  it('refuses got retries brought back by extend() or by a request option, before anything is sent', async () => {
    const server = await upstream({ fallback: { status: 503 } })
    const m = await mesh({ endpoints: { flaky: [at(server)] } })
    const client = createMeshGot(m)
    const extended = client.extend({ retry: { limit: 3 } })
    const viaExtend = await extended('http://flaky/').catch((caught: unknown) => caught)
    const viaOption = await client('http://flaky/', { retry: { limit: 3 } }).catch((caught: unknown) => caught)
    for (const error of [viaExtend, viaOption]) {
      expect(error).toBeInstanceOf(RequestError)
      expect((error as RequestError).code).toBe('MESHLET_ERR_INVALID_ARGUMENT')
      expect(String(error)).toContain('http[].retries')
    }
    expect(server.requests).toHaveLength(0)
    // Without a retry option the derived instance still works and still does not retry in got.
    const answer = await client.extend({ headers: { 'x-a': '1' } })('http://flaky/', { throwHttpErrors: false })
    expect(answer.statusCode).toBe(503)
    expect(server.requests).toHaveLength(1)
  })
})
