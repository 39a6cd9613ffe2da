import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('../', import.meta.url))

describe('the README of @meshlet/rules', () => {
  it('has a first example that runs as written from packages/rules and prints what it says', () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(example).toBeDefined()
    // Inside the package folder, so `@meshlet/rules` resolves to this package by its own name.
    const script = join(packageDir, `.readme-example-${process.pid}.mjs`)
    writeFileSync(script, example!)
    try {
      const run = spawnSync(process.execPath, [script], { cwd: packageDir, encoding: 'utf8' })
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      expect(run.stdout).toContain("default/reviews { index: 0, name: 'jason-to-v2', match: null } { host: 'reviews.default.svc.cluster.local', subset: 'v2', port: 9080 }")
      expect(run.stdout).toMatch(/\{ honored: \d+, approximated: \d+, ignored: 0 \}/)
    } finally {
      rmSync(script, { force: true })
    }
  })
})
