import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { Mesh } from 'meshlet'
import type { Upstream } from '@meshlet/testing'

export { mesh, upstream } from '../helpers.js'

const folders: string[] = []

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })))
})

/** A rules file in a fresh temporary folder (removed after the test), rewritable for reloads. */
export async function rulesFile(text: string): Promise<{ readonly path: string; write(text: string): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'meshlet-balancing-'))
  folders.push(folder)
  const path = join(folder, 'rules.yaml')
  await writeFile(path, text)
  return { path, write: (next) => writeFile(path, next) }
}

/** An `endpoints` option entry for a loopback upstream in a locality. */
export function inLocality(server: Upstream, locality: string, labels: Record<string, string> = {}) {
  return { address: '127.0.0.1', port: server.port, labels, locality }
}

/** A STATIC ServiceEntry for `host` on port 80 whose endpoints are these loopback upstreams. */
export function staticServiceEntry(host: string, servers: readonly Upstream[]): string {
  return `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${host.split('.')[0]} }
spec:
  hosts: [${host}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 80, name: http, protocol: HTTP }]
  endpoints:
${servers.map((server) => `  - { address: 127.0.0.1, ports: { http: ${server.port} } }`).join('\n')}
`
}

/** Sends `count` calls one after another and returns the name of the upstream that answered each (or the local reason). */
export async function answeredBy(m: Mesh, url: string, count: number, headers: (index: number) => Record<string, string> = () => ({})): Promise<string[]> {
  const names: string[] = []
  for (let i = 0; i < count; i++) {
    const response = await m.fetch(url, { headers: headers(i) })
    names.push(response.headers.get('x-upstream') ?? `${response.status} ${response.headers.get('x-meshlet-reason')}`)
    await response.arrayBuffer()
  }
  return names
}

/** How many times each name occurs. */
export function tally(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1
  return counts
}
