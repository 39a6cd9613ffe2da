import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The bundles package.json points to (pnpm build), run in a child process as a user's function
// runs them: what a mesh started from a precompiled snapshot loads, and that the tooling still
// works when asked for.
const repo = fileURLToPath(new URL('../../../../', import.meta.url))
const bundle = fileURLToPath(new URL('../../dist/bundle/index.js', import.meta.url))
const packageDir = fileURLToPath(new URL('../../', import.meta.url))
const bookinfo = `${repo}examples/bookinfo/mesh`
const cli = fileURLToPath(new URL('../../bin/meshlet.js', import.meta.url))

function run(script: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run pnpm build first`)
  // From the package's folder, `import 'meshlet'` resolves through its own exports: the bundle.
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: packageDir, encoding: 'utf8', timeout: 20_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Prints the CommonJS and ES module files loaded so far whose path names the tooling, yaml or re2js. */
const LOADED = `
console.log(JSON.stringify(Object.keys((await import('node:module')).createRequire(import.meta.url).cache).filter((f) => /tooling|[\\\\/]yaml[\\\\/.]|re2js|cli\\.js/.test(f))))
`

describe('the meshlet bundle', () => {
  it('starts a mesh from a precompiled snapshot without loading the YAML parser, validator, analysis, fidelity or CLI', () => {
    const out = `${fileURLToPath(new URL('.', import.meta.url))}.bundle-test-mesh.json`
    const compiled = spawnSync(process.execPath, [cli, 'compile', bookinfo, '-o', out], { cwd: repo, encoding: 'utf8' })
    expect(compiled.stderr).toBe('')
    const started = run(`
import { createMesh } from 'meshlet'
const mesh = await createMesh({ snapshot: ${JSON.stringify(out)} })
console.log(mesh.explain({ method: 'GET', url: 'http://reviews:9080/x', headers: { 'end-user': 'jason' } }).selected.subset)
${LOADED}
await mesh.close()
const { rmSync } = await import('node:fs'); rmSync(${JSON.stringify(out)})
`)
    expect(started.stderr).toBe('')
    expect(started.stdout.trim().split('\n')).toEqual(['v2', '[]'])
  })

  it('loads the tooling on first use, synchronously, sharing the runtime error classes, and the yaml library only for a position', () => {
    const used = run(`
import { createMesh, fidelity, MeshConfigError } from 'meshlet'
${LOADED}
const mesh = await createMesh({ files: [${JSON.stringify(bookinfo)}] })
${LOADED}
console.log(fidelity(mesh.snapshot).summary.honored > 0)
${LOADED}
const error = await createMesh({ yaml: 'kind: VirtualService\\napiVersion: networking.istio.io/v1\\nmetadata: { name: x }\\nspec: { hosts: [] }' }).catch((e) => e)
console.log(error instanceof MeshConfigError, error.code, error.message.includes('<yaml>:4:'))
${LOADED}
await mesh.close()
`)
    expect(used.stderr).toBe('')
    const [before, afterCreate, honored, afterFidelity, failed] = used.stdout.trim().split('\n')
    expect(before).toBe('[]')
    // Bookinfo's YAML is read by the fast reader: the tooling chunk loads, the yaml library does not.
    expect(JSON.parse(afterCreate!)).toEqual([expect.stringMatching(/rules[\\/]dist[\\/]bundle[\\/]tooling\.js$/)])
    expect(honored).toBe('true')
    // The fidelity report gives each field's line and column: the yaml library loads for them.
    expect(JSON.parse(afterFidelity!)).toEqual([expect.stringMatching(/tooling\.js$/), expect.stringMatching(/rules[\\/]dist[\\/]bundle[\\/]yaml\.js$/)])
    expect(failed).toBe('true MESHLET_ERR_CONFIG_INVALID true')
  })
})
