import { execFile, spawn, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeKubernetesApiServer, istioObject, serviceObject } from '@meshlet/testing'
import { runCli } from '../src/cli/main.js'
import type { CliIO } from '../src/cli/io.js'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const bin = join(repo, 'packages/meshlet/bin/meshlet.js')

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: { write: (text) => void (stdout += text) }, stderr: { write: (text) => void (stderr += text) }, env: {} }
  const code = await runCli(argv, io)
  return { code, stdout, stderr }
}

let dir: string
const file = (name: string) => join(dir, name)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshlet-cli-input-'))
  await writeFile(file('empty.yaml'), '')
  await writeFile(file('comments.yaml'), '# nothing here yet\n---\n')
  await writeFile(file('values.yaml'), 'replicas: 3\nimage: { tag: v1 }\n')
  const rules = Array.from({ length: 3000 }, (_, i) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d${i}}\nspec: {host: h${i}, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}\n`)
  await writeFile(file('many.yaml'), rules.join('---\n'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('what the command line reads', () => {
  it('validates the example rules folder, skipping the route-test cases file in it with a note', async () => {
    const run = await cli(['validate', join(repo, 'examples/rules'), '--verbose'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${join(repo, 'examples/rules/cases.yaml')}:4:1  skipped: not a Kubernetes object`)
    expect(run.stdout).toMatch(/✓ valid: 6 files checked: 0 errors, 0 warnings, 1 note\n$/)
  })

  it('refuses a file with no Kubernetes object when it is the only input', async () => {
    const run = await cli(['validate', file('values.yaml')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`${file('values.yaml')}:1:1  not a Kubernetes object (a map with apiVersion and kind), and the input holds no other`)
  })

  it('notes that an empty file, or one with only comments, holds no resources', async () => {
    for (const name of ['empty.yaml', 'comments.yaml']) {
      const run = await cli(['validate', file(name), '--verbose'])
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(`${file(name)}:1:1  holds no resources`)
    }
  })

  it('reports a path it cannot read by the path alone, with no :0:0 position', async () => {
    const run = await cli(['validate', file('missing.yaml')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`  ${file('missing.yaml')}  cannot read: no such file or folder\n`)
    expect(run.stdout).not.toContain(':0:0')
  })
})

describe('the built command in a pipe', () => {
  it('exits quietly, with the exit code of the command, when the reader goes away early (| head)', async () => {
    const child = spawn(process.execPath, [bin, 'fidelity', file('many.yaml')], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } })
    let stderr = ''
    let received = 0
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      received += chunk.length
      child.stdout.destroy()
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(received).toBeGreaterThan(0)
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })
})

describe('the examples in every --help', () => {
  const help = spawnSync(process.execPath, [bin, '--help'], { cwd: repo, encoding: 'utf8' }).stdout
  const commands = [...help.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((match) => match[1]!)
  const examples = commands.flatMap((command) => {
    const text = spawnSync(process.execPath, [bin, command, '--help'], { cwd: repo, encoding: 'utf8' }).stdout
    const block = text.slice(text.indexOf('Examples:'))
    return text.includes('Examples:') ? [...block.matchAll(/^ {2}(meshlet .+)$/gm)].map((match) => [command, match[1]!] as const) : []
  })

  it('has examples for every command', () => {
    expect(new Set(examples.map(([command]) => command))).toEqual(new Set(commands))
  })

  // Examples that read a cluster (--kubernetes) run against a fake Kubernetes API server holding a
  // `shop/reviews` Service and its rules, named by $KUBECONFIG as a user's cluster would be.
  let api: FakeKubernetesApiServer
  let kubeconfig: string
  beforeAll(async () => {
    api = await FakeKubernetesApiServer.start()
    kubeconfig = api.writeKubeconfig(join(dir, 'kubeconfig'), { context: 'prod' })
    api.apply(serviceObject('shop', 'reviews', [{ name: 'http', port: 9080 }], { app: 'reviews' }))
    api.apply(istioObject('VirtualService', 'shop', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }))
  })
  afterAll(async () => {
    await api.close()
  })

  it.each(examples)('%s: "%s" runs as written from the repository root', async (_, example) => {
    const args = splitArgs(example).slice(1)
    const run = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', KUBECONFIG: kubeconfig } }).then(
      ({ stdout, stderr }) => ({ stdout, stderr, status: 0 }),
      (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, status: error.code }),
    )
    expect(run.stderr, run.stderr).toBe('')
    expect(run.status, run.stdout).toBe(0)
  })
})

/** Splits a shell-like command line on spaces, keeping "double quoted" parts whole. */
function splitArgs(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!)
}
