import { describe, expect, it } from 'vitest'
import express from 'express'
import type { Mesh } from 'meshlet'
import { meshletExpress } from '../src/index.js'
import type { MeshletExpressOptions } from '../src/index.js'
import { mesh, serve } from './support.js'

/** The frontend's own VirtualService, with a corsPolicy; `strict` ignores unmatched preflights. */
const FRONTEND_CORS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: frontend }
spec:
  hosts: [frontend, strict]
  http:
  - match: [{ authority: { prefix: strict } }]
    corsPolicy:
      allowOrigins: [{ exact: https://shop.example }]
      allowMethods: [GET]
      unmatchedPreflights: IGNORE
    route: [{ destination: { host: frontend } }]
  - corsPolicy:
      allowOrigins: [{ exact: https://shop.example }, { regex: 'https://.*\\.shop\\.example' }]
      allowMethods: [GET, POST]
      allowHeaders: [end-user, content-type]
      exposeHeaders: [x-request-id]
      maxAge: 3600s
      allowCredentials: true
    route: [{ destination: { host: frontend } }]
`

const PREFLIGHT = { origin: 'https://shop.example', 'access-control-request-method': 'POST' }

async function frontend(options: MeshletExpressOptions = { host: 'frontend:8080' }): Promise<{ url: string; handled: string[] }> {
  const m: Mesh = await mesh({ yaml: FRONTEND_CORS })
  const handled: string[] = []
  const app = express()
  app.use(meshletExpress(m, options))
  app.all('/api', (req, res) => {
    handled.push(req.method)
    res.json({ ok: true })
  })
  return { url: await serve(app), handled }
}

describe('meshletExpress CORS', () => {
  it('answers a preflight from an allowed origin itself, with the policy headers, without calling the handler', async () => {
    const { url, handled } = await frontend()
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS', headers: PREFLIGHT })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET,POST')
    expect(answer.headers.get('access-control-allow-headers')).toBe('end-user,content-type')
    expect(answer.headers.get('access-control-max-age')).toBe('3600')
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true')
    expect(await answer.text()).toBe('')
    expect(handled).toEqual([])
  })

  it('adds the CORS headers to the answer to an allowed origin', async () => {
    const { url, handled } = await frontend()
    const answer = await fetch(`${url}/api`, { headers: { origin: 'https://eu.shop.example' } })
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://eu.shop.example')
    expect(answer.headers.get('access-control-expose-headers')).toBe('x-request-id')
    expect(answer.headers.get('vary')).toMatch(/origin/i)
    expect(handled).toEqual(['GET'])
  })

  it('hands a preflight from another origin to the application, without CORS headers', async () => {
    const { url, handled } = await frontend()
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS', headers: { ...PREFLIGHT, origin: 'https://evil.example' } })
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(handled).toEqual(['OPTIONS'])
  })

  it('answers an unmatched preflight with 200 and no allowed origin when the policy ignores them', async () => {
    const { url, handled } = await frontend({ host: 'strict' })
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS', headers: { ...PREFLIGHT, origin: 'https://evil.example' } })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(handled).toEqual([])
  })

  it('looks the policy up by the Host header when no host option is given', async () => {
    const { url, handled } = await frontend({})
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS', headers: PREFLIGHT })
    // The request's Host is 127.0.0.1:<port>, which has no VirtualService: the app answers.
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(handled).toEqual(['OPTIONS'])
  })

  it('leaves CORS to the application with cors: false', async () => {
    const { url, handled } = await frontend({ host: 'frontend', cors: false })
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS', headers: PREFLIGHT })
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(handled).toEqual(['OPTIONS'])
  })
})
