/**
 * Tolerant readers for analysis. Analysis also runs over resources that failed validation (so that
 * `meshlet validate` lists every problem at once), so it never trusts a shape: a value of the wrong
 * type reads as absent, and validation has already reported it.
 */

export type JsonRecord = Readonly<Record<string, unknown>>

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined
}

export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : []
}

export function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A label map; entries that are not strings are left out. */
export function asLabels(value: unknown): Readonly<Record<string, string>> {
  const record = asRecord(value)
  const out: Record<string, string> = {}
  if (!record) return out
  for (const [key, entry] of Object.entries(record)) if (typeof entry === 'string') out[key] = entry
  return out
}

/** True when `labels` carries every key/value of `selector` (Kubernetes label selection). */
export function carriesLabels(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector)) if (labels[key] !== value) return false
  return true
}

export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',')
}
