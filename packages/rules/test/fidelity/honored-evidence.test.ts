import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FIELD_SUPPORT } from '../../src/fidelity/index.js'
import { HONORED_EVIDENCE } from './honored-evidence.js'

const repo = fileURLToPath(new URL('../../../../', import.meta.url))

/** `Kind pattern` of every honored row, `Kind pattern when` of every honored value case. */
function honoredKeys(): string[] {
  const keys: string[] = []
  for (const kind of Object.values(FIELD_SUPPORT)) {
    for (const row of kind.fields) {
      if (row.status === 'honored') keys.push(`${kind.kind} ${row.pattern}`)
      for (const fieldCase of row.cases ?? []) if (fieldCase.status === 'honored') keys.push(`${kind.kind} ${row.pattern} ${fieldCase.when}`)
    }
  }
  return keys
}

/** Test titles declared in a file: it('…') / test("…") / it.each(…)('…'), quotes unescaped. */
function titlesIn(path: string): Set<string> {
  const text = readFileSync(path, 'utf8')
  const titles = new Set<string>()
  const declaration = /\b(?:it|test)(?:\.each\([^)]*\))?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g
  for (const match of text.matchAll(declaration)) titles.add(match[2]!.replace(/\\(.)/g, '$1'))
  return titles
}

describe('the fidelity table never calls a field honored without a test that proves it', () => {
  const keys = honoredKeys()

  it('names at least one behaviour test for every honored field and value case', () => {
    const missing = keys.filter((key) => (HONORED_EVIDENCE[key] ?? []).length === 0)
    expect(missing, 'honored without evidence: add a test and list it in honored-evidence.ts, or change the status').toEqual([])
  })

  it('lists evidence only for fields the table calls honored', () => {
    const honored = new Set(keys)
    expect(Object.keys(HONORED_EVIDENCE).filter((key) => !honored.has(key))).toEqual([])
  })

  it('names only test files and test titles that exist', () => {
    const cache = new Map<string, Set<string> | undefined>()
    const titles = (file: string) => {
      if (!cache.has(file)) cache.set(file, existsSync(join(repo, file)) ? titlesIn(join(repo, file)) : undefined)
      return cache.get(file)
    }
    const broken: string[] = []
    for (const [key, evidence] of Object.entries(HONORED_EVIDENCE)) {
      for (const { file, test } of evidence) {
        const declared = titles(file)
        if (declared === undefined) broken.push(`${key}: no file ${file}`)
        else if (!declared.has(test)) broken.push(`${key}: no test "${test}" in ${file}`)
      }
    }
    expect(broken).toEqual([])
  })
})
