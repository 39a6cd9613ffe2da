import { RESOURCE_KINDS, displayKind } from '../source/resource.js'
import { FIELD_SUPPORT } from './field-support.js'
import type { FieldSupport } from './types.js'

/** Markers around the generated part of docs/compatibility.md. */
export const GENERATED_BEGIN = '<!-- BEGIN generated from packages/rules/src/fidelity/field-support.ts -->'
export const GENERATED_END = '<!-- END generated -->'

const cell = (text: string) => text.replaceAll('|', '\\|')

/** The table lines of one row: the row itself, then one line per value case. */
export function renderRow(row: FieldSupport): string[] {
  const lines = [`| \`${row.pattern}\` | ${row.status} | ${cell(row.reason)} |`]
  for (const c of row.cases ?? []) lines.push(`| \`${row.pattern}\` ${c.when} | ${c.status} | ${cell(c.reason)} |`)
  return lines
}

/** The generated section of docs/compatibility.md: one table per kind, in the table's order. */
export function renderCompatibilityTables(): string {
  const out: string[] = []
  for (const kind of RESOURCE_KINDS) {
    const support = FIELD_SUPPORT[kind]
    out.push(`### ${displayKind(kind)}`, '')
    const notes = support.aliases.map((alias) => alias.note)
    if (support.notApplied) notes.push(`Every field ${support.notApplied.when} is honored. ${support.notApplied.reason}`)
    for (const note of notes) out.push(`- ${note}`)
    if (notes.length > 0) out.push('')
    out.push('| Field | Status | Reason |', '| --- | --- | --- |')
    for (const row of support.fields) out.push(...renderRow(row))
    out.push('')
  }
  return out.join('\n')
}
