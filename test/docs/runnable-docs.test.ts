import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

// The docs promise that their snippets and examples run as written. These run them as a user
// would, with node, against the built packages (`pnpm test` builds first).
const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const apiExamples = fileURLToPath(new URL('../../examples/mesh-api/', import.meta.url))

/** The first ```js block after `heading` in a markdown file. */
function snippetAfter(markdownFile: string, heading: string): string {
  const text = readFileSync(new URL(markdownFile, new URL('../../', import.meta.url)), 'utf8')
  const from = text.indexOf(heading)
  if (from < 0) throw new Error(`${markdownFile} has no heading ${heading}`)
  const start = text.indexOf('```js\n', from)
  return text.slice(start + '```js\n'.length, text.indexOf('\n```', start))
}

async function runModule(source: string, cwd: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', source], { cwd, timeout: 15_000 })
  return stdout
}

async function runFile(file: string): Promise<string> {
  const { stdout } = await run(process.execPath, [file], { cwd: apiExamples, timeout: 15_000 })
  return stdout
}

describe('the snippets in the docs', () => {
  it("the README's library snippet runs from the repository root and explains a request", async () => {
    const snippet = snippetAfter('README.md', '## The library')
    const stdout = await runModule(`${snippet}\nconsole.log(JSON.stringify(decision.selected))`, repoRoot)
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ host: 'reviews.default.svc.cluster.local', subset: 'v2', port: 9080 })
  })

  it("the getting-started snippet runs from the repository root and prints the route and destination it names", async () => {
    const snippet = snippetAfter('docs/getting-started.md', '## 5. The same in code')
    const stdout = await runModule(snippet, repoRoot)
    expect(stdout).toContain("name: 'jason-to-v2'")
    expect(stdout).toContain("subset: 'v2'")
  })
})

describe('the mesh API examples', () => {
  it('mesh.fetch routes by header and answers a refused call with a 503 instead of throwing', async () => {
    const stdout = await runFile('fetch.mjs')
    expect(stdout).toMatch(/^everyone 200 \{ version: 'v1'/m)
    expect(stdout).toMatch(/^beta 200 \{ version: 'v2'.*userTier: 'beta'/m)
    expect(stdout).toMatch(/^refused 503 connect-failure$/m)
  })

  it('mesh.request streams the answer of the routed version', async () => {
    const stdout = await runFile('request.mjs')
    expect(stdout).toMatch(/^beta 200 application\/json \{ version: 'v2'/m)
  })

  it('mesh.close() lets the call in flight finish, then refuses new calls', async () => {
    const stdout = await runFile('lifecycle.mjs')
    expect(stdout).toMatch(/^request GET http:\/\/catalog\/items 200 everyone-to-v1 1$/m)
    expect(stdout).toMatch(/^answered while closing 200 v1$/m)
    expect(stdout).toMatch(/^closed true$/m)
    expect(stdout).toMatch(/^after close MESHLET_ERR_MESH_CLOSED$/m)
  })
})
