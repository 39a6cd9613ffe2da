import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadMeshConfig } from '../../src/index.js'
import type { MeshSnapshot } from '../../src/index.js'

const virtualService = (name: string, weight: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name} }
spec:
  hosts: [${name}]
  http:
  - match: [{ headers: { x-split: { exact: "1" } } }]
    route: [{ destination: { host: ${name}, subset: v1 }, weight: ${weight} }, { destination: { host: ${name}, subset: v2 }, weight: ${100 - weight} }]
  - route: [{ destination: { host: ${name} } }]
`
const destinationRule = (name: string, hash: boolean) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name} }
spec:
  host: ${name}
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
${hash ? '  trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: x-user } } }\n' : ''}`

let dir: string
let file: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshlet-incremental-'))
  file = join(dir, 'rules.yaml')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** A load as a reloading mesh makes it (in slices, remembering each document). */
async function reload(text: string): Promise<MeshSnapshot> {
  await writeFile(file, text)
  const result = await loadMeshConfig({ files: [file], sliceMs: 4 })
  if (!result.snapshot) throw new Error(JSON.stringify(result.diagnostics))
  return result.snapshot
}

const byName = (snapshot: MeshSnapshot, name: string) => snapshot.virtualServices.find((vs) => vs.ref.name === name)!

describe('a reload of rules that changed in one place', () => {
  it('compiles only the VirtualService that changed and keeps the others as they were', async () => {
    const docs = (weight: number) => [virtualService('a', 50), virtualService('b', weight), virtualService('c', 50)].join('---\n')
    const first = await reload(docs(50))
    const second = await reload(docs(90))
    expect(byName(second, 'a')).toBe(byName(first, 'a'))
    expect(byName(second, 'c')).toBe(byName(first, 'c'))
    expect(byName(second, 'b')).not.toBe(byName(first, 'b'))
    const action = byName(second, 'b').routes[0]!.action
    expect(action.kind === 'route' && action.destinations.map((d) => d.weight)).toEqual([90, 10])
  })

  it('compiles a VirtualService again when a document before it moves it to another line', async () => {
    const first = await reload([virtualService('a', 50), virtualService('b', 50)].join('---\n'))
    const second = await reload([`# a comment\n${virtualService('a', 50)}`, virtualService('b', 50)].join('---\n'))
    expect(byName(second, 'b')).not.toBe(byName(first, 'b'))
    expect(byName(second, 'b').ref.position.line).toBe(byName(first, 'b').ref.position.line + 1)
  })

  it('compiles a VirtualService again when a DestinationRule it depends on changes its answer', async () => {
    const first = await reload([virtualService('a', 100), destinationRule('a', false)].join('---\n'))
    const second = await reload([virtualService('a', 100), destinationRule('a', true)].join('---\n'))
    expect(byName(second, 'a')).not.toBe(byName(first, 'a'))
    // Istio leaves the previous-hosts retry predicate out for a consistent-hash destination.
    expect(byName(first, 'a').routes[1]!.retries.avoidPreviousHosts).toBe(true)
    expect(byName(second, 'a').routes[1]!.retries.avoidPreviousHosts).toBe(false)
  })
})
