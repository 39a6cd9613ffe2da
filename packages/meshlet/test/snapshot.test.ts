import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMesh } from 'meshlet'
import { runCli } from '../src/cli/main.js'
import type { CliIO } from '../src/cli/io.js'
import { at, mesh, upstream } from './helpers.js'

const folders: string[] = []
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })))
})

async function folder(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), 'meshlet-snapshot-'))
  folders.push(made)
  return made
}

function rules(subset: 'v1' | 'v2'): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http:
  - route: [{ destination: { host: svc, subset: ${subset} } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`
}

async function compile(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: { write: (t) => void (stdout += t), isTTY: false }, stderr: { write: (t) => void (stderr += t), isTTY: false }, env: {} }
  const code = await runCli(['compile', ...args], io)
  return { code, stdout, stderr }
}

describe('meshlet compile and createMesh({ snapshot })', () => {
  it('routes calls by the rules compiled into the file', async () => {
    const dir = await folder()
    await writeFile(join(dir, 'svc.yaml'), rules('v2'))
    const output = join(dir, 'mesh.json')
    const run = await compile([dir, '-o', output])
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/✓ compiled: 2 resources from 1 file, 0 warnings → .*mesh\.json/)
    expect(run.code).toBe(0)
    const [v1, v2] = [await upstream({ name: 'v1' }), await upstream({ name: 'v2' })]
    const m = await mesh({ snapshot: output, endpoints: { svc: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' })] } })
    const response = await m.fetch('http://svc/x')
    expect(response.headers.get('x-upstream')).toBe('v2')
    await response.text()
  })

  it('writes nothing and exits 1 when the rules have errors, leaving an earlier file as it was', async () => {
    const dir = await folder()
    await writeFile(join(dir, 'svc.yaml'), rules('v1'))
    const output = join(dir, 'mesh.json')
    expect((await compile([dir, '-o', output])).code).toBe(0)
    const before = await readFile(output, 'utf8')
    await writeFile(join(dir, 'svc.yaml'), rules('v1').replace('subset: v1 } }', 'subset: v1 }, weight: -5 }'))
    const run = await compile([join(dir, 'svc.yaml'), '-o', output])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/svc\.yaml:\d+:\d+ +VirtualService default\/svc +spec\.http\[0\]\.route\[0\]\.weight/)
    expect(run.stderr).toMatch(/✗ not written: 1 error/)
    expect(await readFile(output, 'utf8')).toBe(before)
  })

  it('asks for -o as a usage error (exit 2)', async () => {
    const run = await compile(['some/rules'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/missing -o <file>/)
  })

  it('refuses a snapshot given together with files, yaml or resources', async () => {
    await expect(createMesh({ snapshot: 'mesh.json', files: ['rules'] })).rejects.toMatchObject({
      code: 'MESHLET_ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/option snapshot replaces files/),
    })
  })

  it('fails createMesh with the coded error of a corrupt file, naming it', async () => {
    const dir = await folder()
    const output = join(dir, 'mesh.json')
    await writeFile(output, '{"format":"meshlet.io/precompiled-rules","version":1,')
    await expect(createMesh({ snapshot: output })).rejects.toMatchObject({ code: 'MESHLET_ERR_SNAPSHOT_CORRUPT', message: expect.stringContaining(output) })
  })

  it('with watch, swaps in the rules of a file compiled again, keeping the last good ones on a bad write', async () => {
    const dir = await folder()
    const rulesDir = join(dir, 'rules')
    const { mkdir } = await import('node:fs/promises')
    await mkdir(rulesDir)
    await writeFile(join(rulesDir, 'svc.yaml'), rules('v1'))
    const output = join(dir, 'mesh.json')
    expect((await compile([rulesDir, '-o', output])).code).toBe(0)
    const m = await mesh({ snapshot: output, watch: { debounceMs: 10 } })
    const subset = () => {
      const action = m.snapshot.virtualServices[0]?.routes[0]?.action
      return action?.kind === 'route' ? action.destinations[0]?.subset : undefined
    }
    expect(subset()).toBe('v1')
    const reloaded = new Promise<void>((resolve) => m.once('configReloaded', () => resolve()))
    await writeFile(join(rulesDir, 'svc.yaml'), rules('v2'))
    expect((await compile([rulesDir, '-o', output])).code).toBe(0)
    await reloaded
    expect(subset()).toBe('v2')
    const rejected = new Promise<{ code: string }>((resolve) => m.once('configRejected', (error) => resolve(error as never)))
    await writeFile(output, 'not json')
    expect((await rejected).code).toBe('MESHLET_ERR_SNAPSHOT_CORRUPT')
    expect(subset()).toBe('v2')
  })
})
