/** Text output of `meshlet check`: one line per case, a diff under each failure, then coverage. */
import type { Coverage } from './check/coverage.js'
import type { CaseResult } from './commands/check.js'
import { formatTable, plural, showValue } from './format.js'
import type { Style } from './format.js'

export interface CheckReport {
  readonly testsFile: string
  readonly results: readonly CaseResult[]
  readonly coverage: Coverage | undefined
  readonly failUnder: number | undefined
}

export function formatCheckReport(report: CheckReport, style: Style): string {
  const lines: string[] = []
  let failed = 0
  for (const result of report.results) {
    const ok = result.mismatches.length === 0 && result.error === undefined
    if (ok) {
      lines.push(`${style.green('✓')} ${result.case.name}`)
      continue
    }
    failed += 1
    lines.push(`${style.red('✗')} ${style.bold(result.case.name)}  ${style.dim(`(${report.testsFile}:${result.case.line}; ${result.case.request.method} ${result.case.request.url})`)}`)
    if (result.error !== undefined) lines.push(`    ${style.red('explain failed')}: ${result.error}`)
    for (const m of result.mismatches) {
      lines.push(`    ${m.path === '' ? '(decision)' : m.path}${m.note ? style.dim(`  ${m.note}`) : ''}`)
      lines.push(`      ${style.green(`- expected: ${showValue(m.expected)}`)}`)
      lines.push(`      ${style.red(`+ actual:   ${showValue(m.actual)}`)}`)
    }
  }
  lines.push('')
  const total = report.results.length
  const summary = `${plural(total - failed, 'case')} passed, ${failed} failed`
  lines.push(failed === 0 ? style.green(`✓ ${summary}`) : style.red(`✗ ${summary}`))
  if (report.coverage) lines.push(...formatCoverage(report.coverage, report.failUnder, style))
  return `${lines.join('\n')}\n`
}

function formatCoverage(coverage: Coverage, failUnder: number | undefined, style: Style): string[] {
  const percent = `${coverage.percent.toFixed(1)}%`
  const under = failUnder !== undefined && coverage.percent < failUnder
  const lines = ['', `Route coverage: ${coverage.reached} of ${plural(coverage.total, 'route')} reached (${under ? style.red(percent) : percent})${failUnder !== undefined ? `, required ${failUnder}%` : ''}`]
  if (coverage.unreached.length > 0) {
    lines.push('Not reached by any case:')
    lines.push(formatTable(coverage.unreached.map((r) => [`VirtualService ${r.virtualService}`, `http[${r.index}]`, r.name === undefined ? style.dim('(unnamed)') : JSON.stringify(r.name)]), '  '))
  }
  return lines
}
