// Shared helpers of the balancer benchmarks: loading the built package, a results table, and the
// hand-written SVG chart of latency percentiles.
import os from 'node:os'
import { writeFileSync } from 'node:fs'

export async function loadBalancer() {
  try {
    return await import(new URL('../../packages/balancer/dist/index.js', import.meta.url).href)
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error
    console.error('packages/balancer is not built: run `npx tsc -b packages/balancer` (or `pnpm build`) first.')
    process.exit(1)
  }
}

export function machine() {
  const cpus = os.cpus()
  return `node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${os.platform()} ${os.arch()}`
}

/** Prints rows as an aligned table; the first row is the header, numbers align right. */
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)))
  for (const row of rows) {
    console.log('  ' + row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ').trimEnd())
  }
}

export function ms(value) {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`
}

/** Nearest-rank percentiles of a list of latencies in ms. */
export function percentiles(values) {
  const sorted = Float64Array.from(values).sort()
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
  return { p50Ms: at(0.5), p99Ms: at(0.99), p999Ms: at(0.999) }
}

const COLORS = { p50Ms: '#4c78a8', p99Ms: '#f58518', p999Ms: '#e45756' }
const LABELS = { p50Ms: 'p50', p99Ms: 'p99', p999Ms: 'p99.9' }

/**
 * Grouped bars, one group per series entry ({ name, p50Ms, p99Ms, p999Ms }), on a log scale so a
 * 5 ms p50 and a 2 s p99.9 both stay readable. Written by hand: no charting dependency.
 */
export function writeLatencySvg(path, title, series) {
  const width = 760
  const height = 380
  const left = 70
  const right = 20
  const top = 50
  const bottom = 70
  const plotWidth = width - left - right
  const plotHeight = height - top - bottom
  const keys = ['p50Ms', 'p99Ms', 'p999Ms']
  const values = series.flatMap((s) => keys.map((k) => s[k]))
  // The axis starts a little below the smallest value so its bar stays visible.
  const minDecade = Math.floor(Math.log10(Math.max(0.1, Math.min(...values) * 0.9)))
  const maxDecade = Math.ceil(Math.log10(Math.max(...values)))
  const y = (value) => top + plotHeight - ((Math.log10(Math.max(value, 10 ** minDecade)) - minDecade) / (maxDecade - minDecade)) * plotHeight
  const groupWidth = plotWidth / series.length
  const barWidth = Math.min(34, (groupWidth * 0.8) / keys.length)
  const esc = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;')
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ]
  for (let decade = minDecade; decade <= maxDecade; decade++) {
    const value = 10 ** decade
    const lineY = y(value).toFixed(1)
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${lineY}" y2="${lineY}" stroke="#ddd"/>`)
    parts.push(`<text x="${left - 6}" y="${lineY}" text-anchor="end" dominant-baseline="middle">${value >= 1000 ? `${value / 1000} s` : `${value} ms`}</text>`)
  }
  series.forEach((entry, index) => {
    const groupX = left + index * groupWidth + (groupWidth - barWidth * keys.length) / 2
    keys.forEach((key, k) => {
      const barY = y(entry[key])
      const x = groupX + k * barWidth
      parts.push(`<rect x="${x.toFixed(1)}" y="${barY.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(top + plotHeight - barY).toFixed(1)}" fill="${COLORS[key]}"><title>${esc(entry.name)} ${LABELS[key]}: ${entry[key].toFixed(1)} ms</title></rect>`)
      parts.push(`<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(barY - 3).toFixed(1)}" text-anchor="middle" font-size="9">${entry[key] >= 100 ? entry[key].toFixed(0) : entry[key].toFixed(1)}</text>`)
    })
    parts.push(`<text x="${(left + index * groupWidth + groupWidth / 2).toFixed(1)}" y="${top + plotHeight + 18}" text-anchor="middle">${esc(entry.name)}</text>`)
  })
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotHeight}" stroke="#333"/>`)
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="#333"/>`)
  keys.forEach((key, k) => {
    const x = left + k * 80
    parts.push(`<rect x="${x}" y="${height - 26}" width="12" height="12" fill="${COLORS[key]}"/><text x="${x + 16}" y="${height - 16}">${LABELS[key]}</text>`)
  })
  parts.push(`<text x="${width - right}" y="${height - 16}" text-anchor="end" fill="#666">latency, log scale</text>`)
  parts.push('</svg>')
  writeFileSync(path, parts.join('\n') + '\n')
}

/**
 * Times `round()` (after `warmup` untimed rounds) `rounds` times and divides by `ops`: the best
 * round (closest to the code's own cost on a machine shared with other work), the median and the
 * 99th percentile, in nanoseconds per operation.
 */
export function measureNs({ warmup, rounds, ops, round }) {
  for (let i = 0; i < warmup; i++) round()
  const samples = []
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.()
    const start = performance.now()
    round()
    samples.push(((performance.now() - start) * 1e6) / ops)
  }
  samples.sort((a, b) => a - b)
  const at = (q) => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(q * samples.length) - 1))]
  return { bestNs: samples[0], medianNs: at(0.5), p99Ns: at(0.99) }
}

export function formatNs(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(0)} ns`
}
