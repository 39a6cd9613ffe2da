import type { HistogramSample, LabelPairs, MetricFamily, ScalarSample } from '../metrics/families.js'
import { escapeHelp, escapeLabelValue, formatSampleValue } from './escape.js'

/** The Content-Type of the text format this module writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/**
 * Writes metric families in the Prometheus text exposition format 0.0.4: per family a HELP and a
 * TYPE line, then its samples sorted by their labels so two scrapes list series in the same order;
 * histograms as `_bucket{le="..."}` (cumulative, ending with `+Inf`), `_sum` and `_count`.
 * Families without samples are left out, as Envoy leaves out stats never used.
 */
export function formatPrometheus(families: Iterable<MetricFamily>): string {
  const lines: string[] = []
  for (const family of families) {
    if (family.samples.length === 0) continue
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`)
    if (family.type === 'histogram') writeHistograms(lines, family.name, family.samples)
    else writeScalars(lines, family.name, family.samples)
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

function writeScalars(lines: string[], name: string, samples: readonly ScalarSample[]): void {
  const rendered = samples.map((sample) => ({ labels: renderLabels(sample.labels), sample }))
  rendered.sort(byLabels)
  for (const { labels, sample } of rendered) lines.push(`${name}${wrap(labels)} ${formatSampleValue(sample.value)}`)
}

function writeHistograms(lines: string[], name: string, samples: readonly HistogramSample[]): void {
  const rendered = samples.map((sample) => ({ labels: renderLabels(sample.labels), sample }))
  rendered.sort(byLabels)
  for (const { labels, sample } of rendered) {
    const prefix = labels === '' ? '' : `${labels},`
    sample.bounds.forEach((bound, index) => lines.push(`${name}_bucket{${prefix}le="${formatSampleValue(bound)}"} ${formatSampleValue(sample.cumulativeCounts[index]!)}`))
    lines.push(`${name}_bucket{${prefix}le="+Inf"} ${formatSampleValue(sample.cumulativeCounts[sample.bounds.length]!)}`)
    lines.push(`${name}_sum${wrap(labels)} ${formatSampleValue(sample.sum)}`)
    lines.push(`${name}_count${wrap(labels)} ${formatSampleValue(sample.count)}`)
  }
}

/**
 * Label sets of request series are frozen arrays kept for the life of the series, so each is
 * rendered once and reused by every later scrape (a series has 25 labels and 67 lines).
 */
const RENDERED = new WeakMap<LabelPairs, string>()

function renderLabels(labels: LabelPairs): string {
  let text = RENDERED.get(labels)
  if (text !== undefined) return text
  text = ''
  for (const [name, value] of labels) text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`
  if (Object.isFrozen(labels)) RENDERED.set(labels, text)
  return text
}

function wrap(labels: string): string {
  return labels === '' ? '' : `{${labels}}`
}

function byLabels(a: { readonly labels: string }, b: { readonly labels: string }): number {
  return a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0
}
