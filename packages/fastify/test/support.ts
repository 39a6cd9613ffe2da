import { afterEach } from 'vitest'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { createMesh } from 'meshlet'
import type { CreateMeshOptions, Mesh } from 'meshlet'
import { startUpstream } from '@meshlet/testing'
import type { EchoBody, Upstream, UpstreamOptions } from '@meshlet/testing'
import { meshletFastify } from '../src/index.js'
import type { MeshletFastifyOptions } from '../src/index.js'

const cleanups: Array<() => Promise<void>> = []

/** Closes every app, mesh and upstream a test started, after each test. */
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()))
})

export async function mesh(options: CreateMeshOptions): Promise<Mesh> {
  const created = await createMesh(options)
  cleanups.push(() => created.close())
  return created
}

export async function upstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const started = await startUpstream(options)
  cleanups.push(() => started.close())
  return started
}

/**
 * A Fastify app with the plugin registered, `routes` added, listening on 127.0.0.1 and a free
 * port; returns its base URL and the instance.
 */
export async function serve(
  options: MeshletFastifyOptions,
  routes: (app: FastifyInstance) => void,
): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify()
  await app.register(meshletFastify, options)
  routes(app)
  cleanups.push(() => app.close())
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, app }
}

/** An `endpoints` entry for a loopback upstream, with labels. */
export function at(server: Upstream, labels: Record<string, string> = {}) {
  return { address: '127.0.0.1', port: server.port, labels }
}

/** What the test services answer: the echo of the upstream they called, and the request id they saw. */
export interface ProductAnswer {
  readonly upstream: EchoBody
  readonly requestId: string | undefined
}

/** A JSON body, typed by the test that knows what the server sends. */
export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T
}

/** reviews v1/v2 with a VirtualService sending `end-user: jason` to v2 and everyone else to v1. */
export const REVIEWS_BY_USER = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - route: [{ destination: { host: reviews, subset: v1 } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`
