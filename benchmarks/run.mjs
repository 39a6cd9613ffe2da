#!/usr/bin/env node
// Runs the benchmarks and prints one table. `node benchmarks/run.mjs [filter]` runs only the
// suites whose file name contains the filter. Run with --expose-gc (as `pnpm bench` does) so each
// benchmark starts after a full collection. Not part of the test suite: timings depend on the machine.
import os from 'node:os'
import { formatNs } from './lib/measure.mjs'

const SUITES = ['./rules/compile.bench.mjs', './rules/decide.bench.mjs']

const filter = process.argv[2]
const cpus = os.cpus()
console.log(`node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${os.platform()} ${os.arch()}, load average ${os.loadavg()[0].toFixed(1)}${globalThis.gc ? '' : ' (run with --expose-gc for steadier figures)'}\n`)

let missed = 0
for (const path of SUITES.filter((p) => !filter || p.includes(filter))) {
  const suite = await import(path)
  console.log(suite.title)
  const rows = await suite.run()
  const table = [['benchmark', 'median', 'p99', 'target', ''], ...rows.map((row) => {
    const within = row.target ? (row.medianNs <= row.target.ns ? 'ok' : 'MISSED') : ''
    if (within === 'MISSED') missed += 1
    return [row.name, formatNs(row.medianNs), formatNs(row.p99Ns), row.target?.text ?? '', within]
  })]
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)))
  for (const r of table) console.log('  ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd())
  console.log(`  ${suite.note}\n`)
}
if (missed > 0) console.log(`${missed} target(s) missed on this machine`)
