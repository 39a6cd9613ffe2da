import { request } from 'node:https'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeKubernetesApiServer, podObject } from '../src/index.js'

let api: FakeKubernetesApiServer
beforeEach(async () => {
  api = await FakeKubernetesApiServer.start()
  for (let i = 0; i < 5; i++) api.apply(podObject('shop', `pod-${i}`, { app: i % 2 === 0 ? 'even' : 'odd', tier: 'web' }, `10.0.0.${i}`))
})
afterEach(async () => {
  await api.close()
})

function get(path: string, accept = 'application/json'): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: api.port, path, ca: api.ca, headers: { authorization: `Bearer ${api.token}`, accept } }, (response) => {
      let text = ''
      response.on('data', (chunk) => (text += String(chunk)))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> }))
    })
      .on('error', reject)
      .end()
  })
}

const names = (body: Record<string, unknown>) => (body.items as Array<{ metadata: { name: string } }>).map((item) => item.metadata.name)

describe('the fake Kubernetes API server', () => {
  it('pages a list with limit and continue, at the resourceVersion of the first page', async () => {
    const first = await get('/api/v1/namespaces/shop/pods?limit=2')
    const metadata = first.body.metadata as { continue: string; resourceVersion: string; remainingItemCount: number }
    expect(names(first.body)).toEqual(['pod-0', 'pod-1'])
    expect(metadata.remainingItemCount).toBe(3)
    const second = await get(`/api/v1/namespaces/shop/pods?limit=2&continue=${encodeURIComponent(metadata.continue)}`)
    expect(names(second.body)).toEqual(['pod-2', 'pod-3'])
    expect((second.body.metadata as { resourceVersion: string }).resourceVersion).toBe(metadata.resourceVersion)
  })

  it('answers 410 Expired for a continue token older than the last compaction', async () => {
    const first = await get('/api/v1/pods?limit=2')
    api.apply(podObject('shop', 'later', {}, '10.0.0.9'))
    api.compact()
    const stale = await get(`/api/v1/pods?limit=2&continue=${encodeURIComponent((first.body.metadata as { continue: string }).continue)}`)
    expect(stale.status).toBe(410)
    expect(stale.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 })
  })

  it('filters by label and field selectors', async () => {
    expect(names((await get('/api/v1/pods?labelSelector=app%3Deven,tier')).body)).toEqual(['pod-0', 'pod-2', 'pod-4'])
    expect(names((await get('/api/v1/pods?labelSelector=app%20notin%20(even)')).body)).toEqual(['pod-1', 'pod-3'])
    expect(names((await get('/api/v1/pods?fieldSelector=metadata.name%3Dpod-3')).body)).toEqual(['pod-3'])
  })

  it('answers PartialObjectMetadataList when asked, without spec or status', async () => {
    const { body } = await get('/api/v1/pods', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json')
    expect(body.kind).toBe('PartialObjectMetadataList')
    const item = (body.items as Array<Record<string, unknown>>)[0]!
    expect(Object.keys(item).sort()).toEqual(['apiVersion', 'kind', 'metadata'])
  })

  it('leaves kind and apiVersion off the items of a built-in list, as the real server does', async () => {
    const { body } = await get('/api/v1/pods')
    expect(body.kind).toBe('PodList')
    expect((body.items as Array<Record<string, unknown>>)[0]!.kind).toBeUndefined()
  })

  it('answers 429 with Retry-After when throttling', async () => {
    api.throttleNext(1, 3)
    const throttled = await get('/api/v1/pods')
    expect(throttled.status).toBe(429)
    expect(throttled.headers['retry-after']).toBe('3')
    expect((await get('/api/v1/pods')).status).toBe(200)
  })
})
