import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ANALYSIS_CODES } from '../../src/analyze/codes.js'

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url))
const rulesDoc = readFileSync(fileURLToPath(new URL('../../../../docs/rules.md', import.meta.url)), 'utf8')

/** Where findings are made: `field.error('CODE'`, `note('warning', 'CODE'`, `{ severity, code: 'CODE' }`. */
const CODE_SITES = [/\.(?:error|warn)\(\s*'([A-Z][A-Z0-9_]*)'/g, /\(\s*'(?:error|warning|info)',\s*'([A-Z][A-Z0-9_]*)'/g, /\bcode:\s*'([A-Z][A-Z0-9_]*)'/g]
const FINDING_FOLDERS = ['source', 'validate', 'extensions', 'analyze', 'fidelity']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : [],
  )
}

function codesInSource(): Set<string> {
  const codes = new Set<string>(Object.keys(ANALYSIS_CODES))
  for (const file of FINDING_FOLDERS.flatMap((folder) => sourceFiles(join(srcDir, folder)))) {
    const text = readFileSync(file, 'utf8')
    for (const site of CODE_SITES) for (const match of text.matchAll(site)) if (!match[1]!.startsWith('MESHLET_ERR_')) codes.add(match[1]!)
  }
  return codes
}

function codesInDoc(): Set<string> {
  const section = rulesDoc.slice(rulesDoc.indexOf('\n## Finding codes'))
  return new Set([...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]!))
}

describe('docs/rules.md "Finding codes"', () => {
  it('has the #finding-codes section other pages link to', () => {
    expect(rulesDoc).toMatch(/^## Finding codes$/m)
  })

  it('lists every finding code that validation, analysis and fidelity report', () => {
    const documented = codesInDoc()
    expect([...codesInSource()].filter((code) => !documented.has(code)).sort()).toEqual([])
  })

  it('lists no code that nothing reports', () => {
    const used = codesInSource()
    expect([...codesInDoc()].filter((code) => !used.has(code)).sort()).toEqual([])
  })

  it('gives each analysis code the Istio analyzer code it mirrors', () => {
    for (const [code, { istio }] of Object.entries(ANALYSIS_CODES)) {
      expect(rulesDoc).toContain(istio === undefined ? `| \`${code}\` | |` : `| \`${code}\` | ${istio} |`)
    }
  })
})
