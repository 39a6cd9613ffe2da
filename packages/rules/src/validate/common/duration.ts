import type { Field } from '../field.js'
import { describe } from './read.js'

const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
}

const DURATION_PART = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/

/**
 * Go's time.ParseDuration, which Istio uses for every duration string (reference §17): `1h30m`,
 * `1.5s`, `250ms`; units ns, us, µs, ms, s, m, h; no days; a bare number other than `0` is an error.
 * Returns nanoseconds, or an error message.
 */
export function parseGoDuration(text: string): { ns: number } | { error: string } {
  let rest = text
  let sign = 1
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1
    rest = rest.slice(1)
  }
  if (rest === '0') return { ns: 0 }
  if (rest === '') return { error: `invalid duration ${JSON.stringify(text)}` }
  let total = 0
  while (rest !== '') {
    const match = DURATION_PART.exec(rest)
    if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { error: `invalid duration ${JSON.stringify(text)}` }
    const unit = NS_PER_UNIT[match[3]!]
    if (unit === undefined) return { error: `unknown unit ${JSON.stringify(match[3])} in duration ${JSON.stringify(text)} (use ns, us, ms, s, m or h)` }
    total += Number(`${match[1] || '0'}.${match[2] || '0'}`) * unit
    rest = rest.slice(match[0].length)
  }
  return { ns: sign * Math.round(total) }
}

export interface DurationRule {
  /** `0s` is accepted (only tcp.idleTimeout, httpCookie.ttl and retryBudget.budgetInterval in Istio). */
  readonly allowZero?: boolean
  /** Only whole seconds (corsPolicy.maxAge). */
  readonly wholeSeconds?: boolean
}

/**
 * Reads a duration and applies Istio's ValidateDuration: at least 1 ms and a whole number of ms.
 * Returns milliseconds.
 */
export function readDuration(field: Field, rule: DurationRule = {}): number | undefined {
  if (!field.present) return undefined
  if (typeof field.value !== 'string') {
    field.error('DURATION', `must be a duration string such as "5s" or "250ms", got ${describe(field.value)}`)
    return undefined
  }
  const parsed = parseGoDuration(field.value)
  if ('error' in parsed) {
    field.error('DURATION', `${parsed.error}; write a Go duration such as "5s", "250ms" or "1m30s"`)
    return undefined
  }
  if (parsed.ns === 0 && rule.allowZero) return 0
  if (parsed.ns < 1e6) {
    field.error('DURATION', `duration must be greater than 1ms, got ${JSON.stringify(field.value)}${parsed.ns === 0 ? ' (omit the field to disable it)' : ''}`)
    return undefined
  }
  if (parsed.ns % 1e6 !== 0) {
    field.error('DURATION', `only durations to ms precision are supported, got ${JSON.stringify(field.value)}`)
    return undefined
  }
  if (rule.wholeSeconds && parsed.ns % 1e9 !== 0) {
    field.error('DURATION', `must be a whole number of seconds, got ${JSON.stringify(field.value)}`)
    return undefined
  }
  return parsed.ns / 1e6
}
