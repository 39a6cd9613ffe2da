import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isMeshError, seededRandom } from '@meshlet/core'
import type { MeshErrorCode } from '@meshlet/core'
import { explain, loadMeshConfig, loadSnapshotFile, writeSnapshotFile, RULES_COMPILER_VERSION } from '../../src/index.js'

const REVIEWS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - name: from-productpage
      match:
        - sourceLabels: { app: productpage }
          uri: { regex: "/reviews/[0-9]+" }
      route:
        - destination: { host: reviews, subset: v2 }
    - name: canary
      route:
        - destination: { host: reviews, subset: v1 }
          weight: 90
        - destination: { host: reviews, subset: v3 }
          weight: 10
      retries: { attempts: 3, perTryTimeout: 1s }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  annotations:
    meshlet.io/load-balancer: PEAK_EWMA
spec:
  host: reviews
  trafficPolicy:
    connectionPool: { http: { http1MaxPendingRequests: 7 } }
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
    - { name: v3, labels: { version: v3 } }
`

let dir: string
let rulesFile: string
let snapshotFile: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshlet-snapshot-file-'))
  rulesFile = join(dir, 'reviews.yaml')
  snapshotFile = join(dir, 'mesh.json')
  await writeFile(rulesFile, REVIEWS)
  const result = await loadMeshConfig({ files: [rulesFile] })
  if (!result.snapshot) throw new Error('fixture rules do not compile')
  await writeSnapshotFile({ resources: result.snapshot.resources, diagnostics: result.diagnostics, files: result.files }, snapshotFile)
})

afterAll(() => rm(dir, { recursive: true, force: true }))

const request = (headers: Record<string, string> = {}) => ({ method: 'GET', url: 'http://reviews:9080/reviews/12', headers })

async function expectCode(file: string, code: MeshErrorCode, message: RegExp): Promise<void> {
  const error = await loadSnapshotFile(file).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isMeshError(error, code), `expected ${code}, got ${String(error)}`).toBe(true)
  expect((error as Error).message).toContain(file)
  expect((error as Error).message).toMatch(message)
}

describe('a precompiled snapshot file', () => {
  it('decides every request as the rules it was compiled from', async () => {
    const fromYaml = (await loadMeshConfig({ files: [rulesFile], labels: { app: 'productpage' } })).snapshot!
    const fromFile = await loadSnapshotFile(snapshotFile, { labels: { app: 'productpage' } })
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(explain(fromFile, request(), { random: seededRandom(seed) })).toEqual(explain(fromYaml, request(), { random: seededRandom(seed) }))
    }
    expect(fromFile.trafficPolicyFor('reviews.default.svc.cluster.local', 'v1', 9080)).toEqual(fromYaml.trafficPolicyFor('reviews.default.svc.cluster.local', 'v1', 9080))
  })

  it('compiles for the workload that loads it: sourceLabels are decided by the labels given at load time', async () => {
    const productpage = await loadSnapshotFile(snapshotFile, { labels: { app: 'productpage' } })
    const other = await loadSnapshotFile(snapshotFile, { labels: { app: 'ratings' } })
    expect(explain(productpage, request()).route?.name).toBe('from-productpage')
    expect(explain(other, request()).route?.name).toBe('canary')
  })

  it('points every compiled position at where the resource was written', async () => {
    const snapshot = await loadSnapshotFile(snapshotFile)
    const fromYaml = (await loadMeshConfig({ files: [rulesFile] })).snapshot!
    expect(snapshot.virtualServices[0]!.ref.position).toEqual({ file: rulesFile, line: 1, column: 1 })
    expect(snapshot.destinationRules[0]!.ref.position).toEqual(fromYaml.destinationRules[0]!.ref.position)
    expect(snapshot.destinationRules[0]!.ref.position.line).toBeGreaterThan(1)
  })

  it('is refused as stale when a rule file beside it has changed since it was compiled', async () => {
    const copy = join(dir, 'stale')
    await rm(copy, { recursive: true, force: true })
    const { mkdir } = await import('node:fs/promises')
    await mkdir(copy)
    const rules = join(copy, 'reviews.yaml')
    await writeFile(rules, REVIEWS)
    const result = await loadMeshConfig({ files: [rules] })
    const file = join(copy, 'mesh.json')
    await writeSnapshotFile({ resources: result.snapshot!.resources, diagnostics: result.diagnostics, files: result.files }, file)
    await expect(loadSnapshotFile(file)).resolves.toBeDefined()
    await writeFile(rules, REVIEWS.replace('weight: 90', 'weight: 80'))
    await expectCode(file, 'MESHLET_ERR_SNAPSHOT_STALE', /reviews\.yaml has changed since it was compiled/)
    // Deployed without its rule files, it loads: there is nothing to compare with.
    await rm(rules)
    await expect(loadSnapshotFile(file)).resolves.toBeDefined()
  })

  it('is refused as stale when another meshlet version or file format wrote it', async () => {
    const text = await readFile(snapshotFile, 'utf8')
    const older = join(dir, 'older.json')
    await writeFile(older, text.replace(`"compiler":"@meshlet/rules ${RULES_COMPILER_VERSION}"`, '"compiler":"@meshlet/rules 0.0.1"'))
    await expectCode(older, 'MESHLET_ERR_SNAPSHOT_STALE', /written by "@meshlet\/rules 0\.0\.1"/)
    const newer = join(dir, 'newer.json')
    await writeFile(newer, text.replace('"version":1', '"version":2'))
    await expectCode(newer, 'MESHLET_ERR_SNAPSHOT_STALE', /file format version 2/)
  })

  it('is refused as foreign when it is JSON that meshlet compile did not write', async () => {
    const list = join(dir, 'list.json')
    await writeFile(list, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }))
    await expectCode(list, 'MESHLET_ERR_SNAPSHOT_FOREIGN', /a List with no "format"/)
    const array = join(dir, 'array.json')
    await writeFile(array, '[1, 2]')
    await expectCode(array, 'MESHLET_ERR_SNAPSHOT_FOREIGN', /an array/)
  })

  it('is refused as corrupt when it is cut short, empty, or holds values meshlet does not write', async () => {
    const text = await readFile(snapshotFile, 'utf8')
    const truncated = join(dir, 'truncated.json')
    await writeFile(truncated, text.slice(0, text.length / 2))
    await expectCode(truncated, 'MESHLET_ERR_SNAPSHOT_CORRUPT', /not JSON/)
    const empty = join(dir, 'empty.json')
    await writeFile(empty, '')
    await expectCode(empty, 'MESHLET_ERR_SNAPSHOT_CORRUPT', /the file is empty/)
    const damaged = join(dir, 'damaged.json')
    const value = JSON.parse(text) as { resources: Array<Record<string, unknown>> }
    value.resources[1]!.kind = 'Sidecar'
    delete value.resources[0]!.line
    await writeFile(damaged, JSON.stringify(value))
    await expectCode(damaged, 'MESHLET_ERR_SNAPSHOT_CORRUPT', /resources\[0\]\.line must be an integer; resources\[1\]\.kind "Sidecar" is not one of/)
  })

  it('names a file it cannot read', async () => {
    await expectCode(join(dir, 'missing.json'), 'MESHLET_ERR_CONFIG_READ', /cannot read the precompiled snapshot/)
  })

  it('keeps the findings it was written with, and fails strict loading on an analysis finding', async () => {
    const rules = join(dir, 'with-warning.yaml')
    // A subset no DestinationRule declares is an analysis finding (a warning unless strict).
    await writeFile(rules, REVIEWS.replace('subset: v2', 'subset: v9'))
    const result = await loadMeshConfig({ files: [rules] })
    expect(result.diagnostics.some((d) => d.analysis)).toBe(true)
    const file = join(dir, 'with-warning.json')
    await writeSnapshotFile({ resources: result.snapshot!.resources, diagnostics: result.diagnostics, files: result.files }, file)
    expect((await loadSnapshotFile(file)).diagnostics).toEqual(result.snapshot!.diagnostics)
    await expect(loadSnapshotFile(file, { strict: true })).rejects.toMatchObject({ code: 'MESHLET_ERR_CONFIG_INVALID' })
  })
})

describe('the rules compiler version a snapshot records', () => {
  it('is the @meshlet/rules package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(RULES_COMPILER_VERSION).toBe(pkg.version)
  })
})
