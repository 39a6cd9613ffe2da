import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FIELD_SUPPORT } from '../../src/fidelity/field-support.js'
import { GENERATED_BEGIN, GENERATED_END, renderCompatibilityTables, renderRow } from '../../src/fidelity/docs.js'
import { RESOURCE_KINDS } from '../../src/source/resource.js'

const docPath = fileURLToPath(new URL('../../../../docs/compatibility.md', import.meta.url))

/** `MESHLET_UPDATE_DOCS=1 npx vitest run packages/rules/test/fidelity/docs.test.ts` regenerates the tables. */
function generatedSection(doc: string): { before: string; section: string; after: string } {
  const begin = doc.indexOf(GENERATED_BEGIN)
  const end = doc.indexOf(GENERATED_END)
  if (begin === -1 || end < begin) throw new Error(`docs/compatibility.md must contain ${GENERATED_BEGIN} … ${GENERATED_END}`)
  return { before: doc.slice(0, begin + GENERATED_BEGIN.length), section: doc.slice(begin + GENERATED_BEGIN.length, end), after: doc.slice(end) }
}

describe('docs/compatibility.md', () => {
  if (process.env.MESHLET_UPDATE_DOCS === '1') {
    const parts = generatedSection(readFileSync(docPath, 'utf8'))
    writeFileSync(docPath, `${parts.before}\n\n${renderCompatibilityTables()}\n${parts.after}`)
  }
  const doc = readFileSync(docPath, 'utf8')

  for (const kind of RESOURCE_KINDS) {
    it(`lists every ${kind} row of the field support table, field by field, with its status and reason`, () => {
      const lines = new Set(doc.split('\n'))
      const missing = FIELD_SUPPORT[kind].fields.flatMap(renderRow).filter((line) => !lines.has(line))
      expect(missing).toEqual([])
    })
  }

  it('has generated tables equal to the table (run with MESHLET_UPDATE_DOCS=1 to regenerate)', () => {
    expect(generatedSection(doc).section.trim()).toBe(renderCompatibilityTables().trim())
  })
})
