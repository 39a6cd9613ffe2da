import { describe, expect, it } from 'vitest'
import express from 'express'
import { currentInboundContext } from '@meshlet/core'
import { meshletExpress } from '../src/index.js'
import { at, json, mesh, serve, upstream } from './support.js'
import type { ProductAnswer } from './support.js'

const STICKY_BY_SOURCE_IP = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      consistentHash: { useSourceIp: true }
`

describe('meshletExpress source address', () => {
  it('gives the context the caller\'s address as Express sees it (trust proxy honoured)', async () => {
    const m = await mesh({ yaml: STICKY_BY_SOURCE_IP })
    const app = express()
    app.set('trust proxy', true)
    app.use(meshletExpress(m))
    app.get('/ip', (_req, res) => void res.json({ sourceIp: currentInboundContext()?.sourceIp }))
    const url = await serve(app)

    const answer = await json<{ sourceIp: string }>(await fetch(`${url}/ip`, { headers: { 'x-forwarded-for': '203.0.113.9' } }))
    expect(answer.sourceIp).toBe('203.0.113.9')
  })

  it('keeps each caller on one endpoint under consistentHash useSourceIp', async () => {
    const servers = [await upstream({ name: 'a' }), await upstream({ name: 'b' }), await upstream({ name: 'c' })]
    const m = await mesh({ yaml: STICKY_BY_SOURCE_IP, endpoints: { reviews: servers.map((server) => at(server)) } })
    const app = express()
    app.set('trust proxy', true)
    app.use(meshletExpress(m))
    app.get('/product', async (_req, res) => {
      const answer = await m.fetch('http://reviews:9080/reviews/1')
      res.json({ upstream: await answer.json() })
    })
    const url = await serve(app)

    const callers = Array.from({ length: 12 }, (_, i) => `198.51.100.${i + 1}`)
    const endpointOf = async (ip: string) => (await json<ProductAnswer>(await fetch(`${url}/product`, { headers: { 'x-forwarded-for': ip } }))).upstream.upstream
    const first = await Promise.all(callers.map(endpointOf))
    const again = await Promise.all(callers.map(endpointOf))
    expect(again).toEqual(first)
    expect(new Set(first).size).toBeGreaterThan(1)
  })
})
