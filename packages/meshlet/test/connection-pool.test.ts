import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { at, mesh, upstream } from './helpers.js'

function destinationRule(connectionPool: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy: { connectionPool: ${connectionPool} }
`
}

describe('connection pool settings of the DestinationRule', () => {
  it('queues calls behind tcp.maxConnections instead of opening more connections', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const server = await upstream({
      fallback: async (_request, response) => {
        await gate
        response.end('ok')
      },
    })
    const m = await mesh({ yaml: destinationRule('{ tcp: { maxConnections: 1 } }'), endpoints: { svc: [at(server)] } })
    const calls = [m.fetch('http://svc/1'), m.fetch('http://svc/2'), m.fetch('http://svc/3')]
    await server.waitForRequests(1)
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(server.requests).toHaveLength(1)
    release()
    const responses = await Promise.all(calls)
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual(['ok', 'ok', 'ok'])
    expect(server.connectionCount).toBe(1)
  })

  it('opens a new connection per request with http.maxRequestsPerConnection: 1', async () => {
    const server = await upstream()
    const m = await mesh({ yaml: destinationRule('{ http: { maxRequestsPerConnection: 1 } }'), endpoints: { svc: [at(server)] } })
    for (let i = 0; i < 4; i++) await (await m.fetch('http://svc/')).arrayBuffer()
    expect(server.connectionCount).toBe(4)
  })

  it('reuses connections with http.maxRequestsPerConnection: 3, closing each after its third request', async () => {
    const server = await upstream()
    const m = await mesh({ yaml: destinationRule('{ tcp: { maxConnections: 1 }, http: { maxRequestsPerConnection: 3 } }'), endpoints: { svc: [at(server)] } })
    for (let i = 0; i < 6; i++) await (await m.fetch('http://svc/')).arrayBuffer()
    expect(server.connectionCount).toBe(2)
  })
})

describe('the HTTP version of calls', () => {
  it('stays HTTP/1.1 with h2UpgradePolicy DEFAULT or DO_NOT_UPGRADE and useClientProtocol false, as in a default Istio mesh', async () => {
    const versions: string[] = []
    const server = createServer((request, response) => {
      versions.push(request.httpVersion)
      response.end('ok')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const port = (server.address() as AddressInfo).port
    try {
      for (const http of ['{ h2UpgradePolicy: DEFAULT }', '{ h2UpgradePolicy: DO_NOT_UPGRADE, useClientProtocol: false }']) {
        const m = await mesh({ yaml: destinationRule(`{ http: ${http} }`), endpoints: { svc: [{ address: '127.0.0.1', port }] } })
        expect(await (await m.fetch('http://svc/')).text()).toBe('ok')
        await m.close()
      }
    } finally {
      server.closeAllConnections()
      server.close()
    }
    expect(versions).toEqual(['1.1', '1.1'])
  })
})
