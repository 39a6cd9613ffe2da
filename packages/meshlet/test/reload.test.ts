import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Mesh } from 'meshlet'
import { at, mesh, upstream } from './helpers.js'

const folders: string[] = []
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })))
})

async function rulesFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'meshlet-reload-'))
  folders.push(folder)
  return folder
}

/** Rules routing `svc` to one subset, tagging responses with the config version. */
function rules(version: number, subset: 'v1' | 'v2'): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - headers: { response: { set: { x-config-version: "${version}" } } }
    route: [{ destination: { host: svc, subset: ${subset} } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`
}

/** Writes a file the way editors do, new content renamed over the old, so no reader sees half a file. */
async function replaceFile(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text)
  await rename(`${path}.tmp`, path)
}

function configVersion(m: Mesh): string | undefined {
  return m.snapshot.virtualServices[0]?.routes[0]?.headers.response.set['x-config-version']
}

/** Resolves once the mesh serves `version` (reload events for earlier writes may come first). */
function servingVersion(m: Mesh, version: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (configVersion(m) !== String(version)) return
      m.off('configReloaded', check)
      resolve()
    }
    m.on('configReloaded', check)
    check()
  })
}

describe('hot reload', () => {
  it('swaps rules 20 times during steady traffic without failing a request', async () => {
    const folder = await rulesFolder()
    const file = join(folder, 'svc.yaml')
    await writeFile(file, rules(0, 'v1'))
    const [v1, v2] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' })])
    const m = await mesh({ files: [folder], watch: { debounceMs: 20 }, endpoints: { svc: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })

    let running = true
    const failures: string[] = []
    let completed = 0
    const worker = async () => {
      while (running) {
        const response = await m.fetch('http://svc/')
        if (response.status !== 200) failures.push(`${response.status} ${response.headers.get('x-meshlet-reason')}`)
        await response.arrayBuffer()
        completed += 1
      }
    }
    const workers = [worker(), worker(), worker()]
    for (let version = 1; version <= 20; version++) {
      const serving = servingVersion(m, version)
      await replaceFile(file, rules(version, version % 2 === 0 ? 'v1' : 'v2'))
      await serving
    }
    running = false
    await Promise.all(workers)

    expect(failures).toEqual([])
    expect(completed).toBeGreaterThan(20)
    const last = await m.fetch('http://svc/')
    expect(last.headers.get('x-config-version')).toBe('20')
    expect(last.headers.get('x-upstream')).toBe('v1')
  })

  it('keeps serving the last good rules and emits configRejected when a reloaded file is invalid', async () => {
    const folder = await rulesFolder()
    const file = join(folder, 'svc.yaml')
    await writeFile(file, rules(1, 'v1'))
    const v1 = await upstream({ name: 'v1' })
    const m = await mesh({ files: [file], watch: { debounceMs: 20 }, endpoints: { svc: [at(v1, { version: 'v1' })] } })
    const rejected = new Promise<Error & { code: string; diagnostics: readonly { file: string; line: number }[] }>((resolve) => m.once('configRejected', resolve as never))
    // Istio rejects `timeout: 0s` (durations must be at least 1 ms).
    const invalid = rules(2, 'v1').replace('subset: v1 } }]', 'subset: v1 } }]\n    timeout: 0s')
    expect(invalid).toContain('timeout: 0s')
    await replaceFile(file, invalid)
    const error = await rejected
    expect(error.code).toBe('MESHLET_ERR_CONFIG_INVALID')
    expect(error.diagnostics.some((d) => d.file.endsWith('svc.yaml') && d.line > 0)).toBe(true)
    const response = await m.fetch('http://svc/')
    expect(response.status).toBe(200)
    expect(response.headers.get('x-config-version')).toBe('1')
  })

  it('lets a call in flight finish on the rules it started with', async () => {
    const folder = await rulesFolder()
    const file = join(folder, 'svc.yaml')
    await writeFile(file, rules(1, 'v1'))
    let release!: () => void
    const [v1, v2] = await Promise.all([
      upstream({ name: 'v1', answers: [{ status: 200, until: new Promise<void>((resolve) => (release = resolve)) }] }),
      upstream({ name: 'v2' }),
    ])
    const m = await mesh({ files: [file], endpoints: { svc: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
    const inFlight = m.fetch('http://svc/')
    await v1.waitForRequests(1)
    await replaceFile(file, rules(2, 'v2'))
    expect(await m.reload()).toBe(true)
    const fresh = await m.fetch('http://svc/')
    expect(fresh.headers.get('x-config-version')).toBe('2')
    expect(fresh.headers.get('x-upstream')).toBe('v2')
    release()
    const old = await inFlight
    expect(old.headers.get('x-config-version')).toBe('1')
    expect(old.headers.get('x-upstream')).toBe('v1')
  })

  it('picks up a new file added to a watched folder', async () => {
    const folder = await rulesFolder()
    const v2 = await upstream({ name: 'v2' })
    const m = await mesh({ files: [folder], watch: { debounceMs: 20 }, endpoints: { svc: [at(v2, { version: 'v2' })] } })
    const serving = servingVersion(m, 3)
    await replaceFile(join(folder, 'added.yaml'), rules(3, 'v2'))
    await serving
    expect((await m.fetch('http://svc/')).headers.get('x-config-version')).toBe('3')
  })
})
