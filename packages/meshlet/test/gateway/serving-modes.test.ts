import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import Fastify from 'fastify'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGateway, isMeshErrorCode } from './meshlet-errors.js'
import { gateway, send, upstream } from './support.js'

const RULES = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: app, namespace: default }
spec:
  hosts: [app.example]
  gateways: [istio-system/public]
  http:
  - route: [{ destination: { host: app, port: { number: 8080 } } }]
`

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function serve(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  return (server.address() as AddressInfo).port
}

describe('serving a gateway from a server of your own', () => {
  it('routes with gateway.handler on a node:http server listening on another port than the Gateway declares', async () => {
    const app = await upstream({ name: 'app' })
    const created = await gateway({ yaml: RULES, gateway: 'istio-system/public', endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    const port = await serve(createServer(created.handler))
    expect((await send(port, { host: 'app.example', path: '/a' })).json().upstream).toBe('app')
    expect((await send(port, { host: 'nothing.example' })).status).toBe(404)
  })

  it('routes as Express middleware, after the middleware mounted before it', async () => {
    const app = await upstream({ name: 'app' })
    const created = await gateway({ yaml: RULES, gateway: 'istio-system/public', endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    const web = express()
    web.use((req, _res, next) => {
      req.headers['x-seen-by-express'] = 'yes'
      next()
    })
    web.use(created.express())
    const port = await serve(createServer(web))
    const seen = (await send(port, { host: 'app.example', path: '/b', method: 'POST', body: 'hello' })).json()
    expect(seen.headers['x-seen-by-express']).toBe('yes')
    expect(seen.bodyBytes).toBe(5)
  })

  it('routes as a Fastify plugin, body untouched', async () => {
    const app = await upstream({ name: 'app' })
    const created = await gateway({ yaml: RULES, gateway: 'istio-system/public', endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    const fastify = Fastify()
    await fastify.register(created.fastify())
    await fastify.listen({ port: 0, host: '127.0.0.1' })
    closers.push(() => fastify.close())
    const port = (fastify.server.address() as AddressInfo).port
    const seen = (await send(port, { host: 'app.example', path: '/c?x=1', method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } })).json()
    expect(seen.method).toBe('PUT')
    expect(seen.path).toBe('/c?x=1')
    expect(seen.bodyBytes).toBe(7)
  })

  it('implements the Istio Gateways whose selector the given workload labels satisfy', async () => {
    const app = await upstream({ name: 'app' })
    const created = await gateway({ yaml: RULES, gateway: { istio: 'ingressgateway', app: 'edge' }, endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    expect(created.config.sources.map((source) => `${source.namespace}/${source.name}`)).toEqual(['istio-system/public'])
    const port = await serve(createServer(created.handler))
    expect((await send(port, { host: 'app.example' })).status).toBe(200)
  })

  it('refuses a Gateway the rules do not define, naming those they do', async () => {
    const error = await createGateway({ yaml: RULES, gateway: 'istio-system/private' }).catch((caught: unknown) => caught)
    expect(isMeshErrorCode(error, 'MESHLET_ERR_GATEWAY_NOT_FOUND')).toBe(true)
    expect(String(error)).toContain('they define Gateway istio-system/public')
    const bad = await createGateway({ yaml: RULES, gateway: 'public' }).catch((caught: unknown) => caught)
    expect(isMeshErrorCode(bad, 'MESHLET_ERR_INVALID_ARGUMENT')).toBe(true)
    const typo = await createGateway({ yaml: RULES, gateway: 'istio-system/public', limits: { maxBodyBytes: 10 } as never }).catch((caught: unknown) => caught)
    expect(String(typo)).toContain('option limits.maxBodyBytes must be one of maxRequestHeadersBytes')
  })

  it('refuses a reload that would lose the Gateway and keeps serving with the old rules', async () => {
    const app = await upstream({ name: 'app' })
    const dir = mkdtempSync(join(tmpdir(), 'meshlet-gateway-reload-'))
    const file = join(dir, 'rules.yaml')
    writeFileSync(file, RULES)
    const created = await gateway({ files: [file], gateway: 'istio-system/public', endpoints: { 'app.default.svc.cluster.local': [{ address: '127.0.0.1', port: app.port }] } })
    const port = await serve(createServer(created.handler))
    const rejected: unknown[] = []
    created.on('configRejected', (error) => rejected.push(error))
    writeFileSync(file, RULES.slice(RULES.indexOf('---') + 3))
    expect(await created.reload()).toBe(false)
    expect(String(rejected[0])).toContain('the rules define no Gateway istio-system/public')
    expect((await send(port, { host: 'app.example' })).status).toBe(200)
  })
})
