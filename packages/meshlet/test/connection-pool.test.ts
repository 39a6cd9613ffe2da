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
