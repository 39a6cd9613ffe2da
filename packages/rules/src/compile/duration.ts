import { parseGoDuration } from '../validate/common/duration.js'

/** A validated Go duration string in whole milliseconds; undefined when absent or unreadable. */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined
  const parsed = parseGoDuration(text)
  return 'ns' in parsed ? Math.round(parsed.ns / 1e6) : undefined
}
