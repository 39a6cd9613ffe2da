import { afterEach } from 'vitest'
import { createMesh } from 'meshlet'
import type { CreateMeshOptions, Mesh } from 'meshlet'
import { startUpstream } from '@meshlet/testing'
import type { Upstream, UpstreamOptions } from '@meshlet/testing'

const cleanups: Array<() => Promise<void>> = []

/** Closes every mesh and upstream a test started, after each test. */
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

/** An `endpoints` entry for a loopback upstream, with labels. */
export function at(server: Upstream, labels: Record<string, string> = {}) {
  return { address: '127.0.0.1', port: server.port, labels }
}

/** One VirtualService for host `reviews` with the given http routes (YAML, indented by 2). */
export function reviewsRoutes(http: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
${http}
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
}
