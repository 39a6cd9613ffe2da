/**
 * Escaping of the Prometheus text exposition format 0.0.4 (prometheus docs
 * instrumenting/exposition_formats): in label values a backslash, a double quote and a line feed
 * are written `\\`, `\"` and `\n`; in HELP text a backslash and a line feed.
 */
export function escapeLabelValue(value: string): string {
  return NEEDS_LABEL_ESCAPE.test(value) ? value.replace(NEEDS_LABEL_ESCAPE_GLOBAL, escapeCharacter) : value
}

export function escapeHelp(text: string): string {
  return NEEDS_HELP_ESCAPE.test(text) ? text.replace(NEEDS_HELP_ESCAPE_GLOBAL, escapeCharacter) : text
}

/** A sample value: integers as integers, `+Inf`, `-Inf` and `NaN` as Prometheus spells them. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

const NEEDS_LABEL_ESCAPE = /[\\"\n]/
const NEEDS_LABEL_ESCAPE_GLOBAL = /[\\"\n]/g
const NEEDS_HELP_ESCAPE = /[\\\n]/
const NEEDS_HELP_ESCAPE_GLOBAL = /[\\\n]/g

function escapeCharacter(character: string): string {
  return character === '\n' ? '\\n' : `\\${character}`
}
