import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/testing'
import type { GatewayRequestEvent } from 'meshlet'
import { listening, pods, send, upstream } from './support.js'

const RULES = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: istio-system }
spec:
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: app, namespace: default }
spec:
  hosts: [app.example]
  gateways: [istio-system/edge]
  http:
  - route: [{ destination: { host: app, port: { number: 8080 } } }]
`

/** Raw bytes to the gateway; resolves with the status line it answers. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let received = ''
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      if (received.includes('\r\n')) {
        resolve(received.slice(0, received.indexOf('\r\n')))
        socket.destroy()
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''))
  })
}

describe('the gateway edge answers bad input as Envoy does, never crashing', () => {
  it('answers 431 to more than 100 request headers and to headers over 60 KiB', async () => {
    const app = await upstream({ name: 'app' })
    const { port, gateway } = await listening({ yaml: RULES, gateway: 'istio-system/edge', endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`x-h${i}`, 'v']))
    expect((await send(port(80), { host: 'app.example', headers: many })).status).toBe(431)
    expect(await raw(port(80), `GET / HTTP/1.1\r\nHost: app.example\r\nX-Big: ${'a'.repeat(61 * 1024)}\r\n\r\n`)).toContain('431')
    expect(app.requests).toHaveLength(0)
    expect(gateway.stats.downstream_rq_too_large_headers).toBe(1)
    // Still serving.
    expect((await send(port(80), { host: 'app.example' })).status).toBe(200)
  })

  it('answers 400 to a malformed request line', async () => {
    const app = await upstream({ name: 'app' })
    const { port } = await listening({ yaml: RULES, gateway: 'istio-system/edge', endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    expect(await raw(port(80), 'GET / HTTP/1.1\r\nHost app.example\r\n\r\n')).toContain('400')
    expect((await send(port(80), { host: 'app.example' })).status).toBe(200)
  })

  it('answers 413 to a body over the configured limit, declared or streamed, without sending it upstream', async () => {
    const app = await upstream({ name: 'app' })
    const { port, gateway } = await listening({ yaml: RULES, gateway: 'istio-system/edge', limits: { maxRequestBodyBytes: 1024 }, endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    expect((await send(port(80), { host: 'app.example', method: 'POST', body: 'x'.repeat(2048) })).status).toBe(413)
    expect(app.requests).toHaveLength(0)
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: port(80), method: 'POST', path: '/', headers: { host: 'app.example', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      for (let i = 0; i < 8; i++) req.write('y'.repeat(512))
      req.end()
    })
    expect(chunked).toBe(413)
    expect(gateway.stats.downstream_rq_too_large).toBe(2)
    expect((await send(port(80), { host: 'app.example', method: 'POST', body: 'small' })).json().bodyBytes).toBe(5)
  })

  it('cancels the upstream call when the client disconnects mid-request, and counts a DC', async () => {
    let upstreamClosed!: () => void
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve))
    const app = await upstream({
      name: 'app',
      answers: [
        (_request, response) => {
          response.on('close', () => upstreamClosed())
        },
      ],
    })
    const { port, gateway } = await listening({ yaml: RULES, gateway: 'istio-system/edge', endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    const events: GatewayRequestEvent[] = []
    gateway.on('gatewayRequest', (event) => events.push(event))
    const req = httpRequest({ host: '127.0.0.1', port: port(80), path: '/slow', headers: { host: 'app.example' } })
    req.on('error', () => undefined)
    req.end()
    await app.waitForRequests(1)
    req.destroy()
    await closed
    await expect.poll(() => events.length).toBe(1)
    expect(events[0]).toMatchObject({ status: 0, responseFlags: 'DC', path: '/slow' })
    expect(gateway.stats.downstream_cx_destroy_remote_active_rq).toBe(1)
  })

  it('fails no request while the rules are reloaded under load', async () => {
    const app = await pods('app', 2)
    const { port, gateway } = await listening({
      yaml: RULES,
      gateway: 'istio-system/edge',
      random: seededRandom(5),
      endpoints: { 'app.default.svc.cluster.local': app.map((pod) => ({ address: '127.0.0.1', port: pod.port })) },
    })
    let reloads = 0
    const statuses: number[] = []
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 40; i++) statuses.push((await send(port(80), { host: 'app.example', path: `/r${i}` })).status)
      }),
    )
    const reloading = (async () => {
      for (let i = 0; i < 10; i++) {
        if (await gateway.reload()) reloads++
      }
    })()
    await Promise.all([load, reloading])
    expect(reloads).toBe(10)
    expect(statuses).toHaveLength(320)
    expect(statuses.every((status) => status === 200)).toBe(true)
  })

  it('ends a client that stops halfway through its headers with 408 once the header timeout passes', async () => {
    const app = await upstream({ name: 'app' })
    const { port, gateway } = await listening({ yaml: RULES, gateway: 'istio-system/edge', limits: { requestHeadersTimeoutMs: 300 }, endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    const answer = await raw(port(80), 'GET / HTTP/1.1\r\nHost: app')
    expect(answer).toContain('408')
    expect(gateway.stats.downstream_rq_total).toBe(0)
    expect(app.requests).toHaveLength(0)
  })
})
