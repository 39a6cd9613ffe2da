import { afterEach } from 'vitest'
import { createMesh } from 'meshlet'
import type { CreateMeshOptions, Mesh } from 'meshlet'
import { startUpstream } from '@meshlet/testing'
import type { Upstream, UpstreamOptions } from '@meshlet/testing'

const meshes: Mesh[] = []
const upstreams: Upstream[] = []

/** Closes every mesh and upstream a test started, after each test. */
afterEach(async () => {
  await Promise.all(meshes.splice(0).map((mesh) => mesh.close()))
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()))
})

export async function mesh(options: CreateMeshOptions): Promise<Mesh> {
  const created = await createMesh(options)
  meshes.push(created)
  return created
}

export async function upstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const started = await startUpstream(options)
  upstreams.push(started)
  return started
}

/** An `endpoints` entry sending to a loopback upstream, with labels. */
export function at(server: Upstream, labels: Record<string, string> = {}) {
  return { address: '127.0.0.1', port: server.port, labels }
}

/** The JSON an echo upstream answered with. */
export async function echo(response: Response): Promise<{ upstream: string; method: string; path: string; headers: Record<string, string>; bodyBytes: number }> {
  return (await response.json()) as never
}
