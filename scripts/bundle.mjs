#!/usr/bin/env node
// Bundles each package into one ES module (plus the chunks it loads only when used) under
// packages/<name>/dist/bundle/, from the TypeScript sources. `pnpm build` runs it after `tsc -b`,
// which still writes the declarations and the unbundled build beside it (dist/*.js), so the two can
// be compared (benchmarks/coldstart). package.json `exports` point at the bundle.
//
// Why: a process that imports meshlet from the unbundled build resolves and reads about 400 files
// before its first call; a serverless function pays that on every cold start. One file per package
// is read and compiled at once, and the code a running mesh never needs (the YAML parser, the
// validator, analysis, fidelity, the command line) is left in chunks loaded on first use.
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Entry points per package (name in dist/bundle → source). A package not listed has one entry,
 * src/index.ts. `lazy` names source files the bundle replaces with a loader that requires the
 * named entry on first use (see lazyModule below).
 */
const PACKAGES = {
  core: { inline: ['eventemitter3'] },
  // yaml is about 70 CommonJS files: inlined, its chunk is one file.
  rules: {
    inline: ['yaml'],
    entries: { index: 'src/index.ts', tooling: 'src/tooling/index.ts', yaml: 'src/source/yaml-library.ts' },
    lazy: {
      'src/tooling/load.ts': { entry: './tooling.js', exportName: 'loadTooling' },
      // The fast reader takes most rule files; the yaml library loads for the rest and for positions.
      'src/source/load-yaml.ts': { entry: './yaml.js', exportName: 'loadYaml' },
    },
  },
  resilience: { inline: ['opossum'] },
  balancer: {},
  discovery: {},
  otel: {},
  testing: {},
  meshlet: { entries: { index: 'src/index.ts', cli: 'src/cli/main.ts' }, undiciSubset: true },
  express: {},
  fastify: {},
  got: {},
}

/**
 * The part of undici the transport uses, so a cold start compiles its Pool and not the whole
 * library (fetch, WebSocket, caches, mocks: undici's index loads about 110 files). A new named
 * import from 'undici' in the meshlet sources fails the bundle build here, loudly: add it below.
 */
const UNDICI_SUBSET = `
import Pool from 'undici/lib/dispatcher/pool.js'
import coreUtil from 'undici/lib/core/util.js'
export { Pool }
export const util = { parseHeaders: coreUtil.parseHeaders, headerNameToString: coreUtil.headerNameToString }
`

// Bundled CommonJS (undici, yaml, opossum) calls require() for Node's built-in modules; an ES module has none.
const REQUIRE_BANNER = "import { createRequire as __meshletCreateRequire } from 'node:module'; const require = __meshletCreateRequire(import.meta.url);"

const only = process.argv.slice(2)
const started = performance.now()
for (const [name, config] of Object.entries(PACKAGES)) {
  if (only.length > 0 && !only.includes(name)) continue
  await bundlePackage(name, config)
}
console.log(`bundled ${only.length > 0 ? only.join(', ') : 'every package'} in ${Math.round(performance.now() - started)} ms`)

async function bundlePackage(name, config) {
  const dir = join(root, 'packages', name)
  const inline = new Set(config.inline ?? [])
  // Chunk names carry a content hash: clear the folder so no stale chunk is left beside the new ones.
  rmSync(join(dir, 'dist/bundle'), { recursive: true, force: true })
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(config.entries ?? { index: 'src/index.ts' }).map(([out, src]) => [out, join(dir, src)])),
    outdir: join(dir, 'dist/bundle'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Every package (workspace or npm) stays an import, except the ones inlined by the plugins below.
    packages: 'external',
    sourcemap: 'linked',
    legalComments: 'eof',
    // Less text for V8 to scan at start-up; names are kept for stack traces (sourcemaps beside).
    minifyWhitespace: true,
    minifySyntax: true,
    chunkNames: 'chunk-[hash]',
    banner: config.undiciSubset || inline.size > 0 ? { js: REQUIRE_BANNER } : undefined,
    logLevel: 'warning',
    metafile: true,
    plugins: [inlinePackages(dir, inline), lazyModules(dir, config.lazy ?? {}), ...(config.undiciSubset ? [undiciSubset(dir)] : [])],
  })
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'))
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0)
  console.log(`  ${name.padEnd(11)} ${outputs.length} file(s), ${(bytes / 1024).toFixed(0)} kB`)
}

/** Resolves the named npm packages from the package's folder (their CommonJS entry) so esbuild inlines them. */
function inlinePackages(dir, names) {
  const requireHere = createRequire(join(dir, 'package.json'))
  return {
    name: 'inline-packages',
    setup(b) {
      for (const name of names) {
        const filter = new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`)
        b.onResolve({ filter }, () => ({ path: requireHere.resolve(name) }))
      }
    },
  }
}

/**
 * `src/tooling/load.ts` and the like: in the sources (tests, the unbundled build) they import their
 * module statically; in the bundle they become a loader that requires the entry chunk on first call.
 * Node ≥ 20.19 loads an ES module with require() synchronously and shares the instance with
 * import, so classes such as MeshConfigError stay one class.
 */
function lazyModules(dir, lazy) {
  const byPath = new Map(Object.entries(lazy).map(([src, target]) => [join(dir, src), target]))
  return {
    name: 'lazy-modules',
    setup(b) {
      if (byPath.size === 0) return
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const target = byPath.get(args.path)
        if (!target) return undefined
        return {
          loader: 'js',
          contents: [
            "import { createRequire } from 'node:module'",
            'const requireChunk = createRequire(import.meta.url)',
            `const CHUNK = ${JSON.stringify(target.entry)}`,
            'let loaded',
            `export function ${target.exportName}() { return (loaded ??= requireChunk(CHUNK)) }`,
          ].join('\n'),
        }
      })
    },
  }
}

/** Replaces `import … from 'undici'` in the meshlet package by the subset above, inlined. */
function undiciSubset(dir) {
  const undiciDir = dirname(createRequire(join(dir, 'package.json')).resolve('undici/package.json'))
  const version = JSON.parse(readFileSync(join(undiciDir, 'package.json'), 'utf8')).version
  return {
    name: 'undici-subset',
    setup(b) {
      b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici-subset', namespace: 'undici-subset' }))
      b.onResolve({ filter: /^undici\/lib\// }, (args) => ({ path: join(undiciDir, args.path.slice('undici/'.length)) }))
      b.onLoad({ filter: /.*/, namespace: 'undici-subset' }, () => ({ contents: `// undici ${version}\n${UNDICI_SUBSET}`, loader: 'js', resolveDir: undiciDir }))
    },
  }
}
