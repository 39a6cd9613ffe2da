import type { FidelityEntry, FidelityReport } from './types.js'

/**
 * Plain-text report for the command line (no colours): one block per resource, one line per
 * field with its status, position, path and reason, then the totals.
 *
 *   VirtualService default/reviews  (rules.yaml)
 *     honored       12:9   spec.http[0].timeout   Bounds the whole call …
 */
export function formatFidelity(report: FidelityReport): string {
  if (report.entries.length === 0) return 'No fields in use.\n'
  const statusWidth = widest(report.entries, (e) => e.status)
  const whereWidth = widest(report.entries, position)
  const fieldWidth = widest(report.entries, (e) => e.field)
  const lines: string[] = []
  let current = ''
  for (const entry of report.entries) {
    const heading = `${entry.resource.kind} ${entry.resource.namespace}/${entry.resource.name}  (${entry.file})`
    if (heading !== current) {
      if (current !== '') lines.push('')
      lines.push(heading)
      current = heading
    }
    lines.push(`  ${entry.status.padEnd(statusWidth)}  ${position(entry).padEnd(whereWidth)}  ${entry.field.padEnd(fieldWidth)}  ${entry.reason}`)
  }
  const { honored, approximated, ignored } = report.summary
  lines.push('', `${honored} honored, ${approximated} approximated, ${ignored} ignored`)
  return `${lines.join('\n')}\n`
}

/** The longest text of a column, by a loop: Math.max(...list) overflows the stack past ~100,000 entries. */
function widest(entries: readonly FidelityEntry[], text: (entry: FidelityEntry) => string): number {
  let width = 0
  for (const entry of entries) width = Math.max(width, text(entry).length)
  return width
}

function position(entry: FidelityEntry): string {
  return `${entry.line}:${entry.column}`
}
