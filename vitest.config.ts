import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

// Tests import workspace packages by name; resolve them to their TypeScript sources so a test run
// never depends on a stale dist/ build.
const packagesDir = fileURLToPath(new URL('./packages', import.meta.url))
const alias = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
  .map((dir) => {
    const { name } = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as { name: string }
    return { find: new RegExp(`^${name.replace('/', '\\/')}$`), replacement: join(packagesDir, dir, 'src/index.ts') }
  })

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
})
