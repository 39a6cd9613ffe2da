import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { Cancellation, UpstreamFailureError } from '@meshlet/core'
import { describe, expect, it } from 'vitest'
import { at, mesh, upstream } from './helpers.js'

const rules = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: items }
spec:
  hosts: [items]
  http:
  - match:
    - headers:
        end-user: { exact: jason }
    route:
    - destination: { host: items, subset: v2 }
    headers:
      response:
        set: { x-route: jason }
  - route:
    - destination: { host: items, subset: v1 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: items }
spec:
  host: items
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`

async function twoVersions() {
  const [v1, v2] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
  return mesh({ yaml: rules, endpoints: { items: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
}

describe('mesh.request, the low-level entry point', () => {
  it('routes by the rules and answers status, lower-case headers and a Node Readable body', async () => {
    const m = await twoVersions()
    const result = await m.request('http://items:8080/items/1?x=1', { headers: { 'End-User': 'jason' } })
    expect(result.statusCode).toBe(200)
    expect(result.headers['x-route']).toBe('jason')
    expect(result.body).toBeInstanceOf(Readable)
    const seen = JSON.parse(await text(result.body)) as { upstream: string; path: string; headers: Record<string, string> }
    expect(seen.upstream).toBe('v2')
    expect(seen.path).toBe('/items/1?x=1')
    expect(seen.headers.host).toBe('items:8080')
  })

  it('accepts headers as a flat name, value list and sends a method and a byte body', async () => {
    const m = await twoVersions()
    const result = await m.request(new URL('http://items:8080/orders'), { method: 'POST', headers: ['content-type', 'text/plain', 'x-a', '1'], body: 'hello' })
    const seen = JSON.parse(await text(result.body)) as { method: string; bodyBytes: number; headers: Record<string, string> }
    expect(seen.method).toBe('POST')
    expect(seen.bodyBytes).toBe(5)
    expect(seen.headers['x-a']).toBe('1')
  })

  it('answers a local reply (no route) as a status with a readable body, not a rejection', async () => {
    const m = await mesh({
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: items }
spec:
  hosts: [items]
  http:
  - match: [{ uri: { prefix: /only } }]
    route: [{ destination: { host: items } }]
`,
      endpoints: { items: [at(await upstream())] },
    })
    const result = await m.request('http://items/elsewhere')
    expect(result.statusCode).toBe(404)
    expect(result.localReason).toBe('no-route')
    expect(result.body).toBeInstanceOf(Readable)
    await text(result.body)
  })

  it('does not follow redirects, as undici.request does not', async () => {
    const server = await upstream({ fallback: { status: 302, headers: { location: '/next' } } })
    const m = await mesh({ endpoints: { items: [at(server)] } })
    const result = await m.request('http://items/start')
    expect(result.statusCode).toBe(302)
    expect(result.headers.location).toBe('/next')
    result.body.destroy()
  })

  it('rejects a body on GET, another scheme and a URL with credentials as invalid requests', async () => {
    const m = await twoVersions()
    await expect(m.request('http://items/', { body: 'x' })).rejects.toMatchObject({ code: 'MESHLET_ERR_INVALID_REQUEST' })
    await expect(m.request('ftp://items/')).rejects.toMatchObject({ code: 'MESHLET_ERR_INVALID_REQUEST' })
    await expect(m.request('http://u:p@items/')).rejects.toMatchObject({ code: 'MESHLET_ERR_INVALID_REQUEST' })
  })

  it('explains a refused URL as mesh.fetch does, without repeating its credentials', async () => {
    const m = await twoVersions()
    const reasons = async (url: string) => {
      const viaRequest = await m.request(url).then(() => undefined, (error: Error) => error.message)
      const viaFetch = await m.fetch(url).then(() => undefined, (error: Error) => error.message)
      return [viaRequest?.replace('mesh.request: ', ''), viaFetch?.replace('mesh.fetch: ', '')]
    }
    const [credentials, credentialsByFetch] = await reasons('http://user:s3cret@items/')
    expect(credentials).toBe(credentialsByFetch)
    expect(credentials).not.toContain('s3cret')
    const [scheme, schemeByFetch] = await reasons('ftp://items/')
    expect(scheme).toBe(schemeByFetch)
    expect(scheme).toContain('http and https only')
    const [relative, relativeByFetch] = await reasons('/items')
    expect(relative).toBe(relativeByFetch)
    expect(relative).toContain('an absolute URL is needed')
  })

  it('lets a destroyed body free the try, so the mesh closes without waiting for the bytes', async () => {
    const server = await upstream({ fallback: { status: 200, streamBytes: 4 * 1024 * 1024, chunkBytes: 64 * 1024 } })
    const m = await mesh({ endpoints: { items: [at(server)] } })
    const result = await m.request('http://items/big')
    const first = await new Promise<Buffer>((resolve) => result.body.once('data', resolve))
    expect(first.byteLength).toBeGreaterThan(0)
    result.body.destroy()
    await m.close()
    expect(result.body.destroyed).toBe(true)
  })

  it('rejects with the caller signal reason when aborted before the answer', async () => {
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({ endpoints: { items: [at(server)] } })
    const controller = new AbortController()
    const pending = m.request('http://items/slow', { signal: controller.signal })
    controller.abort(new Error('caller gave up'))
    await expect(pending).rejects.toThrow('caller gave up')
  })

  it('stops a call when the caller cancels the Cancellation it gave, and rejects with a cancelled failure', async () => {
    const server = await upstream({ fallback: { hang: true } })
    const m = await mesh({ endpoints: { items: [at(server)] } })
    const cancellation = new Cancellation()
    const pending = m.request('http://items/slow', { cancellation })
    // Cancelled while the upstream holds the request: the call is in flight.
    await server.waitForRequests(1)
    cancellation.cancel('cancelled')
    const failure = await pending.then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(UpstreamFailureError)
    expect((failure as UpstreamFailureError).outcome.reason).toBe('cancelled')
  })

  it('answers a call whose Cancellation is never cancelled as any other', async () => {
    const m = await twoVersions()
    const result = await m.request('http://items/a', { cancellation: new Cancellation() })
    expect(result.statusCode).toBe(200)
    expect((JSON.parse(await text(result.body)) as { upstream: string }).upstream).toBe('v1')
  })

  it('refuses a signal and a cancellation together', async () => {
    const m = await twoVersions()
    await expect(m.request('http://items/a', { signal: new AbortController().signal, cancellation: new Cancellation() })).rejects.toMatchObject({ code: 'MESHLET_ERR_INVALID_REQUEST' })
  })
})

describe('mesh.request and the request event', () => {
  it('reports each call with its route, cluster and status, as for mesh.fetch', async () => {
    const m = await twoVersions()
    const events: Array<{ url: string; status: number; cluster: string | undefined }> = []
    m.on('request', (event) => events.push({ url: event.url, status: event.status, cluster: event.cluster }))
    const result = await m.request('http://items:8080/a')
    await text(result.body)
    expect(events).toEqual([{ url: 'http://items:8080/a', status: 200, cluster: 'outbound|8080|v1|items.default.svc.cluster.local' }])
  })
})
