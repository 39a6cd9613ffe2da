import { describe, expect, it } from 'vitest'
import type { MeshletFastifyOptions } from '../src/index.js'
import { mesh, serve } from './support.js'

const FRONTEND_CORS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: frontend }
spec:
  hosts: [frontend]
  http:
  - corsPolicy:
      allowOrigins: [{ prefix: https://shop. }]
      allowMethods: [GET, PUT]
      allowHeaders: [end-user]
      exposeHeaders: [x-request-id]
      maxAge: 600s
    route: [{ destination: { host: frontend } }]
`

async function frontend(options: Omit<MeshletFastifyOptions, 'mesh'> = { host: 'frontend' }) {
  const m = await mesh({ yaml: FRONTEND_CORS })
  const handled: string[] = []
  const { url } = await serve({ mesh: m, ...options }, (app) => {
    app.route({
      method: ['GET', 'OPTIONS', 'PUT'],
      url: '/api',
      handler: async (request) => {
        handled.push(request.method)
        return { ok: true }
      },
    })
  })
  return { url, handled }
}

describe('meshletFastify CORS', () => {
  it('answers a preflight from an allowed origin itself, without calling the handler', async () => {
    const { url, handled } = await frontend()
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'PUT' } })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET,PUT')
    expect(answer.headers.get('access-control-allow-headers')).toBe('end-user')
    expect(answer.headers.get('access-control-max-age')).toBe('600')
    expect(handled).toEqual([])
  })

  it('adds the CORS headers to the answer to an allowed origin', async () => {
    const { url, handled } = await frontend()
    const answer = await fetch(`${url}/api`, { headers: { origin: 'https://shop.example' } })
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(answer.headers.get('access-control-expose-headers')).toBe('x-request-id')
    expect(answer.headers.get('vary')).toMatch(/origin/i)
    expect(handled).toEqual(['GET'])
  })

  it('hands a preflight from another origin to the application', async () => {
    const { url, handled } = await frontend()
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' } })
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(handled).toEqual(['OPTIONS'])
  })

  it('leaves requests without an Origin alone', async () => {
    const { url, handled } = await frontend()
    const answer = await fetch(`${url}/api`, { method: 'OPTIONS' })
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(handled).toEqual(['OPTIONS'])
  })
})
