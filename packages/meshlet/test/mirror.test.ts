import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/testing'
import type { MirrorEvent } from 'meshlet'
import { at, echo, mesh, upstream } from './helpers.js'

function rules(mirror: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: httpbin }
spec:
  hosts: [httpbin]
  http:
  - route: [{ destination: { host: httpbin, subset: v1 } }]
${mirror}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin }
spec:
  host: httpbin
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`
}

describe('mirroring', () => {
  it('sends a copy to the mirror with -shadow appended to the Host', async () => {
    const [primary, shadow] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const m = await mesh({
      yaml: rules('    mirror: { host: httpbin, subset: v2 }'),
      endpoints: { httpbin: [at(primary, { version: 'v1' }), at(shadow, { version: 'v2' })] },
    })
    const response = await m.fetch('http://httpbin:8000/headers?x=1', { method: 'POST', body: 'copy me', headers: { 'x-trace': 't1' } })
    expect((await echo(response)).upstream).toBe('v1')
    const [copy] = await shadow.waitForRequests(1)
    expect(copy!.headers.host).toBe('httpbin-shadow:8000')
    expect(copy).toMatchObject({ method: 'POST', path: '/headers?x=1', body: 'copy me' })
    expect(copy!.headers['x-trace']).toBe('t1')
  })

  it('never delays the primary: it answers while the shadow still hangs', async () => {
    const [primary, shadow] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2', answers: [{ hang: true }] })])
    const m = await mesh({
      yaml: rules('    mirror: { host: httpbin, subset: v2 }'),
      endpoints: { httpbin: [at(primary, { version: 'v1' }), at(shadow, { version: 'v2' })] },
    })
    const response = await m.fetch('http://httpbin/')
    expect(response.status).toBe(200)
    await shadow.waitForRequests(1)
  })

  it('never fails the primary when the mirror cannot be reached', async () => {
    const primary = await upstream({ name: 'v1' })
    const gone = await upstream()
    const port = gone.port
    await gone.close()
    const m = await mesh({
      yaml: rules('    mirror: { host: httpbin, subset: v2 }'),
      endpoints: { httpbin: [at(primary, { version: 'v1' }), { address: '127.0.0.1', port, labels: { version: 'v2' } }] },
    })
    const mirrored = new Promise<MirrorEvent>((resolve) => m.once('mirror', resolve))
    expect((await m.fetch('http://httpbin/')).status).toBe(200)
    expect(await mirrored).toMatchObject({ status: 503, reason: 'connect-failure', cluster: 'outbound|80|v2|httpbin.default.svc.cluster.local' })
  })

  it('mirrors about the configured percentage of requests', async () => {
    const [primary, shadow] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const m = await mesh({
      yaml: rules('    mirror: { host: httpbin, subset: v2 }\n    mirrorPercentage: { value: 20 }'),
      random: seededRandom(11),
      endpoints: { httpbin: [at(primary, { version: 'v1' }), at(shadow, { version: 'v2' })] },
    })
    let finished = 0
    m.on('mirror', () => (finished += 1))
    for (let i = 0; i < 300; i++) await (await m.fetch('http://httpbin/')).arrayBuffer()
    await new Promise<void>((resolve) => {
      const check = () => (finished === shadow.requests.length ? resolve() : setImmediate(check))
      check()
    })
    // 20% of 300 is 60; binomial sigma is about 6.9.
    expect(Math.abs(shadow.requests.length - 60)).toBeLessThan(28)
    expect(primary.requests).toHaveLength(300)
  })

  it('copies a streamed request body to the shadow as the primary reads it', async () => {
    const [primary, shadow] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const m = await mesh({
      yaml: rules('    mirror: { host: httpbin, subset: v2 }'),
      endpoints: { httpbin: [at(primary, { version: 'v1' }), at(shadow, { version: 'v2' })] },
    })
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield Buffer.from(`chunk-${i};`)
    }
    const response = await m.fetch('http://httpbin/upload', { method: 'PUT', body: chunks() as never, duplex: 'half' } as RequestInit)
    const expected = Array.from({ length: 10 }, (_, i) => `chunk-${i};`).join('')
    expect((await echo(response)).bodyBytes).toBe(expected.length)
    const [copy] = await shadow.waitForRequests(1)
    expect(copy!.body).toBe(expected)
  })

  it('sends each of several mirrors its own copy', async () => {
    const [primary, a, b] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'a' }), upstream({ name: 'b' })])
    const m = await mesh({
      yaml: rules('    mirrors:\n    - destination: { host: audit-a }\n    - destination: { host: audit-b }'),
      endpoints: { httpbin: [at(primary, { version: 'v1' })], 'audit-a': [at(a)], 'audit-b': [at(b)] },
    })
    await (await m.fetch('http://httpbin/')).arrayBuffer()
    const [[toA], [toB]] = await Promise.all([a.waitForRequests(1), b.waitForRequests(1)])
    expect(toA!.headers.host).toBe('httpbin-shadow')
    expect(toB!.headers.host).toBe('httpbin-shadow')
  })

  it('lets the shadow carry on when the caller aborts the primary', async () => {
    let release!: () => void
    const [primary, shadow] = await Promise.all([
      upstream({ name: 'v1', answers: [{ hang: true }] }),
      upstream({ name: 'v2', answers: [{ status: 200, until: new Promise<void>((resolve) => (release = resolve)) }] }),
    ])
    const m = await mesh({
      yaml: rules('    mirror: { host: httpbin, subset: v2 }'),
      endpoints: { httpbin: [at(primary, { version: 'v1' }), at(shadow, { version: 'v2' })] },
    })
    const mirrored = new Promise<MirrorEvent>((resolve) => m.once('mirror', resolve))
    const controller = new AbortController()
    const call = m.fetch('http://httpbin/', { signal: controller.signal })
    await Promise.all([primary.waitForRequests(1), shadow.waitForRequests(1)])
    controller.abort()
    await expect(call).rejects.toMatchObject({ name: 'AbortError' })
    release()
    expect((await mirrored).status).toBe(200)
  })
})

describe('mirror destinations and shares', () => {
  /** The clusters mirrored for one call, from the mirror events. */
  async function mirroredClusters(mirror: string, calls = 1): Promise<string[]> {
    const [primary, shadow] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const m = await mesh({
      yaml: rules(mirror),
      random: seededRandom(5),
      endpoints: { httpbin: [at(primary, { version: 'v1' }), at(shadow, { version: 'v2' })], audit: [at(shadow, { version: 'v2' })] },
    })
    const clusters: string[] = []
    m.on('mirror', (event: MirrorEvent) => clusters.push(event.cluster ?? '(none)'))
    for (let i = 0; i < calls; i++) await (await m.fetch('http://httpbin/')).arrayBuffer()
    await m.close()
    return clusters
  }

  it('sends mirror.port and each mirrors[] destination to its own subset and port', async () => {
    expect(await mirroredClusters('    mirror: { host: audit, port: { number: 9000 } }')).toEqual(['outbound|9000||audit.default.svc.cluster.local'])
    const both = await mirroredClusters('    mirrors:\n    - destination: { host: httpbin, subset: v2 }\n    - destination: { host: audit, port: { number: 9001 } }')
    expect(both.sort()).toEqual(['outbound|80|v2|httpbin.default.svc.cluster.local', 'outbound|9001||audit.default.svc.cluster.local'])
  })

  it('mirrors a mirrors[] entry only for its percentage of calls', async () => {
    const clusters = await mirroredClusters('    mirrors:\n    - destination: { host: httpbin, subset: v2 }\n      percentage: { value: 0 }\n    - destination: { host: audit }\n      percentage: { value: 100 }', 20)
    expect(clusters).toEqual(new Array(20).fill('outbound|80||audit.default.svc.cluster.local'))
  })

  it('reads the deprecated integer mirrorPercent as the share mirrored', async () => {
    expect(await mirroredClusters('    mirror: { host: audit }\n    mirrorPercent: 0', 20)).toEqual([])
    expect(await mirroredClusters('    mirror: { host: audit }\n    mirrorPercent: 100', 5)).toHaveLength(5)
  })
})
