/**
 * Output formatting shared by the commands: colours (only on a terminal, never with NO_COLOR),
 * diagnostics, aligned tables and small helpers. Commands build text here and write it once.
 */
import { formatDiagnostic } from '@meshlet/rules'
import type { Diagnostic } from '@meshlet/rules'
import type { CliIO, CliOutput } from './io.js'

export interface Style {
  readonly enabled: boolean
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
  bold(text: string): string
  dim(text: string): string
}

// ANSI SGR codes: colour on, then the matching "off" code so styles nest.
const paint = (on: number, off: number) => (text: string) => `\u001b[${on}m${text}\u001b[${off}m`
const plain = (text: string) => text

/** Colours only when the stream is a terminal and NO_COLOR is unset or empty (https://no-color.org). */
export function styleFor(output: CliOutput, env: CliIO['env']): Style {
  const enabled = output.isTTY === true && (env.NO_COLOR ?? '') === ''
  if (!enabled) return { enabled, red: plain, green: plain, yellow: plain, cyan: plain, bold: plain, dim: plain }
  return {
    enabled,
    red: paint(31, 39),
    green: paint(32, 39),
    yellow: paint(33, 39),
    cyan: paint(36, 39),
    bold: paint(1, 22),
    dim: paint(2, 22),
  }
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number; notes: number } {
  let errors = 0
  let warnings = 0
  let notes = 0
  for (const d of diagnostics) {
    if (d.severity === 'error') errors += 1
    else if (d.severity === 'warning') warnings += 1
    else notes += 1
  }
  return { errors, warnings, notes }
}

/**
 * Findings grouped errors first, then warnings, then (when asked) notes, each line
 * `file:line:col  Kind ns/name  path: message`.
 */
export function formatDiagnosticGroups(diagnostics: readonly Diagnostic[], style: Style, options: { notes: boolean }): string {
  const groups: Array<{ title: string; severity: Diagnostic['severity']; paint: (s: string) => string }> = [
    { title: 'Errors', severity: 'error', paint: style.red },
    { title: 'Warnings', severity: 'warning', paint: style.yellow },
    { title: 'Notes', severity: 'info', paint: style.dim },
  ]
  const out: string[] = []
  for (const group of groups) {
    if (group.severity === 'info' && !options.notes) continue
    const members = diagnostics.filter((d) => d.severity === group.severity)
    if (members.length === 0) continue
    out.push(group.paint(style.bold(`${group.title} (${members.length})`)))
    for (const d of members) out.push(`  ${group.severity === 'info' ? style.dim(formatDiagnostic(d)) : formatDiagnostic(d)}`)
    out.push('')
  }
  return out.join('\n')
}

/** Columns padded to the widest cell; the last column is not padded. */
export function formatTable(rows: ReadonlyArray<readonly string[]>, indent = ''): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))))
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell)))).join('  '))
    .join('\n')
}

// Length without ANSI colour codes, so coloured cells still align.
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g
function visibleLength(text: string): number {
  return text.replace(ansi, '').length
}

/** A value in one line: compact JSON, `(none)` when absent. */
export function showValue(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value)
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
