import type { SimulationReport } from './run.js'
import type { LatencySummary } from './stats.js'

/** The report as the command line prints it: the whole run, then each destination and its endpoints. */
export function formatReport(report: SimulationReport): string {
  const lines: string[] = []
  const percent = (part: number, whole: number) => (whole === 0 ? '0.0 %' : `${((part / whole) * 100).toFixed(1)} %`)
  lines.push(
    `${count(report.requests)} requests, concurrency ${report.concurrency}, seed ${report.seed}, ${formatMs(report.durationMs)} of simulated time`,
  )
  lines.push(
    `  succeeded ${count(report.succeeded)} · failed ${count(report.failed)} · timed out ${count(report.timedOut)} · overflow ${count(report.overflowed)} · fault aborts ${count(report.aborted)} · no endpoint ${count(report.unrouted)} · retries ${count(report.retries)}${report.delayed > 0 ? ` · fault delays ${count(report.delayed)}` : ''}`,
  )
  lines.push(`  latency ${latencyLine(report.latency)}`)
  for (const destination of report.destinations) {
    lines.push('')
    lines.push(`${destination.name}  (${destination.algorithm})  ${percent(destination.requests, report.requests)} of requests`)
    lines.push(
      `  requests ${count(destination.requests)} · failed ${count(destination.failed)} · timed out ${count(destination.timedOut)} · overflow ${count(destination.overflowed)} · fault aborts ${count(destination.aborted)} · no endpoint ${count(destination.unrouted)} · ejections ${destination.ejections}`,
    )
    lines.push(`  latency ${latencyLine(destination.latency)}`)
    const rows = destination.endpoints.map((endpoint) => [
      endpoint.key,
      endpoint.locality ?? '',
      `${(endpoint.share * 100).toFixed(1)} %`,
      count(endpoint.tries),
      count(endpoint.failures),
      formatMs(endpoint.latency.p50Ms),
      formatMs(endpoint.latency.p99Ms),
    ])
    lines.push(...table(['endpoint', 'locality', 'share', 'tries', 'failures', 'p50', 'p99'], rows).map((line) => `  ${line}`))
  }
  return lines.join('\n')
}

function latencyLine(summary: LatencySummary): string {
  return `p50 ${formatMs(summary.p50Ms)} · p90 ${formatMs(summary.p90Ms)} · p99 ${formatMs(summary.p99Ms)} · p99.9 ${formatMs(summary.p999Ms)} · max ${formatMs(summary.maxMs)}`
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 100) return `${ms.toFixed(0)} ms`
  return `${ms.toFixed(1)} ms`
}

function count(value: number): string {
  return value.toLocaleString('en-US')
}

/** Left-aligned text columns, right-aligned numbers. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((title, column) => rows.reduce((width, row) => Math.max(width, row[column]!.length), title.length))
  const numeric = header.map((_, column) => rows.length > 0 && rows.every((row) => /^[\d.,]+( %| ms| s)?$/.test(row[column]!)))
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd()
  return [render(header), ...rows.map(render)]
}
