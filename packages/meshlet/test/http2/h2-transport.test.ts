import { constants } from 'node:http2'
import { afterEach, describe, expect, it } from 'vitest'
import { responseTrailers } from 'meshlet'
import { mesh } from '../helpers.js'
import { answerWithTrailers, generateCa, serviceEntry, startH2 } from './support.js'
import type { H2Upstream } from './support.js'

const servers: H2Upstream[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})
const started = async (...args: Parameters<typeof startH2>) => {
  const server = await startH2(...args)
  servers.push(server)
  return server
}

const text = async (body: AsyncIterable<Uint8Array>) => {
  let out = ''
  for await (const chunk of body) out += Buffer.from(chunk).toString()
  return out
}

describe('HTTP/2 to upstreams', () => {
  it('speaks cleartext HTTP/2 with prior knowledge to a port declared HTTP2, and hands the trailers to mesh.request', async () => {
    const server = await started(answerWithTrailers('hi'))
    const m = await mesh({ yaml: serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port]) })
    const result = await m.request('http://api.example.internal:8080/x', { method: 'POST', body: 'ping' })
    expect(result.statusCode).toBe(200)
    expect(result.headers['x-authority']).toBe('api.example.internal:8080')
    expect(await text(result.body)).toBe('hi')
    expect(result.trailers).toEqual({ 'grpc-status': '0', 'x-checksum': 'abc' })
  })

  it('tells the upstream the time the try has left, as over HTTP/1.1', async () => {
    const server = await started(answerWithTrailers('hi'))
    const m = await mesh({
      yaml: `${serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port])}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: default }
spec:
  hosts: [api.example.internal]
  http: [{ route: [{ destination: { host: api.example.internal } }], timeout: 5s }]
`,
    })
    const result = await m.request('http://api.example.internal:8080/')
    await text(result.body)
    const left = Number(result.headers['x-timeout'])
    expect(left).toBeGreaterThan(4_000)
    expect(left).toBeLessThanOrEqual(5_000)
  })

  it('fails a call to an endpoint that refuses the connection with connect-failure', async () => {
    const server = await started(answerWithTrailers())
    const port = server.port
    await server.close()
    servers.splice(servers.indexOf(server), 1)
    const m = await mesh({ yaml: serviceEntry('api.example.internal', 8080, 'HTTP2', [port]) })
    const result = await m.request('http://api.example.internal:8080/')
    await text(result.body)
    expect(result.statusCode).toBe(503)
    expect(result.headers['x-meshlet-reason']).toBe('connect-failure')
  })

  it('resets the stream when the caller aborts, and the call rejects with the abort', async () => {
    const reset: number[] = []
    const server = await started((stream) => {
      stream.resume()
      stream.once('close', () => reset.push(stream.rstCode))
    })
    const m = await mesh({ yaml: serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port]) })
    const controller = new AbortController()
    const pending = m.request('http://api.example.internal:8080/', { signal: controller.signal })
    while (server.streams === 0) await new Promise((resolve) => setImmediate(resolve))
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    while (reset.length === 0) await new Promise((resolve) => setImmediate(resolve))
    expect(reset).toEqual([constants.NGHTTP2_CANCEL])
  })

  it('hands the trailers of a mesh.fetch Response to responseTrailers once the body is read', async () => {
    const server = await started(answerWithTrailers('hi', { 'grpc-status': '14', 'grpc-message': 'down' }))
    const m = await mesh({ yaml: serviceEntry('api.example.internal', 8080, 'GRPC', [server.port]) })
    const response = await m.fetch('http://api.example.internal:8080/pkg.Svc/Get', { method: 'POST', body: 'x' })
    expect(await response.text()).toBe('hi')
    const trailers = await responseTrailers(response)
    expect(trailers?.get('grpc-status')).toBe('14')
    expect(trailers?.get('grpc-message')).toBe('down')
  })

  it('multiplexes concurrent calls to one endpoint over one connection', async () => {
    const server = await started(answerWithTrailers())
    const m = await mesh({ yaml: serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port]) })
    const results = await Promise.all(Array.from({ length: 20 }, () => m.request('http://api.example.internal:8080/')))
    await Promise.all(results.map((result) => text(result.body)))
    expect(results.every((result) => result.statusCode === 200)).toBe(true)
    expect(server.sessions).toHaveLength(1)
    expect(server.maxConcurrentOnOneSession).toBeGreaterThan(1)
  })

  it('opens another connection when one carries maxConcurrentStreams streams, never more streams per connection', async () => {
    const held: Array<() => void> = []
    const server = await started((stream) => {
      stream.resume()
      held.push(() => {
        stream.respond({ ':status': 200 })
        stream.end('ok')
      })
    })
    const m = await mesh({
      yaml: `${serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port])}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: default }
spec:
  host: api.example.internal
  trafficPolicy: { connectionPool: { http: { maxConcurrentStreams: 2 } } }
`,
    })
    const calls = Array.from({ length: 6 }, () => m.request('http://api.example.internal:8080/'))
    while (held.length < 6) await new Promise((resolve) => setImmediate(resolve))
    for (const release of held) release()
    const results = await Promise.all(calls)
    await Promise.all(results.map((result) => text(result.body)))
    expect(server.maxConcurrentOnOneSession).toBe(2)
    expect(server.sessions).toHaveLength(3)
  })

  it('upgrades a port with no declared protocol under h2UpgradePolicy UPGRADE (the server speaks only HTTP/2)', async () => {
    const server = await started(answerWithTrailers('upgraded'))
    const rules = (policy: string) => `${serviceEntry('api.example.internal', 8080, '', [server.port])}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: default }
spec:
  host: api.example.internal
  trafficPolicy: { connectionPool: { http: { h2UpgradePolicy: ${policy} } } }
`
    const upgraded = await mesh({ yaml: rules('UPGRADE') })
    const result = await upgraded.request('http://api.example.internal:8080/')
    expect(await text(result.body)).toBe('upgraded')
    const kept = await mesh({ yaml: rules('DO_NOT_UPGRADE') })
    const refused = await kept.request('http://api.example.internal:8080/')
    await text(refused.body)
    // An HTTP/2-only server cannot answer HTTP/1.1: the call fails as a reset.
    expect(refused.statusCode).toBe(503)
  })

  it('speaks HTTP/2 over TLS with ALPN h2 to a server whose certificate a generated CA signed', async () => {
    const ca = generateCa(['api.example.internal'])
    try {
      const server = await started(answerWithTrailers('secure'), { key: ca.key, cert: ca.cert })
      const m = await mesh({
        yaml: `${serviceEntry('api.example.internal', 443, 'GRPC', [server.port])}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: default }
spec:
  host: api.example.internal
  trafficPolicy: { tls: { mode: SIMPLE, caCertificates: ${ca.caFile}, sni: api.example.internal } }
`,
      })
      const result = await m.request('http://api.example.internal:443/pkg.Svc/Get', { method: 'POST', body: 'x' })
      expect(await text(result.body)).toBe('secure')
      expect(result.trailers['grpc-status']).toBe('0')
      expect(server.alpn).toEqual(['h2'])
    } finally {
      ca.cleanup()
    }
  })

  it('retries a refused stream under Istio’s default retryOn (refused-stream), as Envoy does', async () => {
    let seen = 0
    const server = await started((stream, headers, session) => {
      seen++
      if (seen === 1) {
        stream.close(constants.NGHTTP2_REFUSED_STREAM)
        return
      }
      answerWithTrailers('second')(stream, headers, session)
    })
    const m = await mesh({ yaml: serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port]) })
    const tries: number[] = []
    m.on('request', (event) => tries.push(event.tries))
    const result = await m.request('http://api.example.internal:8080/')
    expect(await text(result.body)).toBe('second')
    expect(server.streams).toBe(2)
    expect(tries).toEqual([2])
  })

  it('fails a refused stream with reason refused-stream when retries are off', async () => {
    const server = await started((stream) => stream.close(constants.NGHTTP2_REFUSED_STREAM))
    const m = await mesh({
      yaml: `${serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port])}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: default }
spec:
  hosts: [api.example.internal]
  http: [{ route: [{ destination: { host: api.example.internal } }], retries: { attempts: 0 } }]
`,
    })
    const result = await m.request('http://api.example.internal:8080/')
    await text(result.body)
    expect(result.statusCode).toBe(503)
    expect(result.headers['x-meshlet-reason']).toBe('refused-stream')
  })

  it('loses no call that had not started when the server sends GOAWAY under load', async () => {
    let goneAway = false
    const server = await started((stream, headers, session) => {
      if (!goneAway && server.streams >= 10) {
        goneAway = true
        // Streams above the last one processed were refused; new ones must go to a new connection.
        session.goaway(constants.NGHTTP2_NO_ERROR, 0)
      }
      answerWithTrailers('ok')(stream, headers, session)
    })
    const m = await mesh({ yaml: serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port]) })
    const calls = Array.from({ length: 60 }, (_, index) => m.request(`http://api.example.internal:8080/${index}`).then(async (result) => [result.statusCode, await text(result.body)]))
    const results = await Promise.all(calls)
    expect(results.filter(([status]) => status !== 200)).toEqual([])
    expect(goneAway).toBe(true)
    expect(server.sessions.length).toBeGreaterThanOrEqual(2)
  })

  it('sends PINGs every http2KeepAlive interval and closes an idle connection after idleTimeout', async () => {
    const server = await started(answerWithTrailers())
    const m = await mesh({
      yaml: `${serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port])}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: default }
spec:
  host: api.example.internal
  trafficPolicy: { connectionPool: { http: { idleTimeout: 300ms, http2KeepAlive: { interval: 50ms, timeout: 1s } } } }
`,
    })
    const result = await m.request('http://api.example.internal:8080/')
    await text(result.body)
    const session = server.sessions[0]!
    await new Promise<void>((resolve) => session.once('ping', () => resolve()))
    await new Promise<void>((resolve) => (session.closed ? resolve() : session.once('close', () => resolve())))
    expect(session.closed).toBe(true)
  })

  it('answers the calls beyond http2MaxRequests with a local 503 overflow, counting requests, not connections', async () => {
    const held: Array<() => void> = []
    const server = await started((stream) => {
      stream.resume()
      held.push(() => {
        stream.respond({ ':status': 200 })
        stream.end('ok')
      })
    })
    const m = await mesh({
      yaml: `${serviceEntry('api.example.internal', 8080, 'HTTP2', [server.port])}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: default }
spec:
  host: api.example.internal
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http2MaxRequests: 3 } } }
`,
    })
    const calls = Array.from({ length: 5 }, () => m.request('http://api.example.internal:8080/'))
    while (held.length < 3) await new Promise((resolve) => setImmediate(resolve))
    const overflowed = await Promise.all(calls.slice(3))
    expect(overflowed.map((result) => [result.statusCode, result.headers['x-envoy-overloaded']])).toEqual([
      [503, 'true'],
      [503, 'true'],
    ])
    for (const release of held) release()
    const served = await Promise.all(calls.slice(0, 3))
    await Promise.all(served.map((result) => text(result.body)))
    expect(served.map((result) => result.statusCode)).toEqual([200, 200, 200])
    // Three requests in flight over one connection: tcp.maxConnections does not bound HTTP/2 requests.
    expect(server.sessions).toHaveLength(1)
  })
})
