import type { Field } from '../field.js'

/**
 * Typed readers over a Field. Each returns the value when it has the right type, `undefined` when
 * absent, and reports a type error (and returns `undefined`) otherwise, so callers never re-check.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks an object and reports each key it does not know (Istio's CRD schema prunes or, under strict
 * field validation, rejects unknown fields; a typo such as `retires` must not pass silently).
 * Returns false when the value is absent or not an object.
 */
export function readObject(field: Field, knownKeys: readonly string[], what = 'object'): boolean {
  if (!field.present) return false
  if (!isRecord(field.value)) {
    field.error('TYPE', `must be ${what === 'object' ? 'an object' : what}, got ${describe(field.value)}`)
    return false
  }
  for (const key of Object.keys(field.value)) {
    if (!knownKeys.includes(key)) {
      const suggestion = closestName(key, knownKeys)
      field.at(key).error('UNKNOWN_FIELD', `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`)
    }
  }
  return true
}

/** A map with arbitrary keys (labels, headers): returns its entries as child fields. */
export function readMap(field: Field): Array<[string, Field]> {
  if (!field.present) return []
  if (!isRecord(field.value)) {
    field.error('TYPE', `must be a map, got ${describe(field.value)}`)
    return []
  }
  return Object.keys(field.value).map((key) => [key, field.at(key)])
}

export function readList(field: Field): Field[] {
  if (!field.present) return []
  if (!Array.isArray(field.value)) {
    field.error('TYPE', `must be a list, got ${describe(field.value)}`)
    return []
  }
  return field.value.map((_, index) => field.at(index))
}

export function readString(field: Field): string | undefined {
  if (!field.present) return undefined
  if (typeof field.value !== 'string') {
    field.error('TYPE', `must be a string, got ${describe(field.value)}`)
    return undefined
  }
  return field.value
}

export function readBool(field: Field): boolean | undefined {
  if (!field.present) return undefined
  if (typeof field.value !== 'boolean') {
    field.error('TYPE', `must be true or false, got ${describe(field.value)}`)
    return undefined
  }
  return field.value
}

export interface IntRange {
  readonly min?: number
  readonly max?: number
  /** Message when out of range, e.g. "port number must be in range 1..65535". */
  readonly rangeMessage?: string
}

/** Integers as protobuf JSON accepts them: numbers, or decimal strings for 64-bit fields. */
export function readInt(field: Field, range: IntRange = {}): number | undefined {
  if (!field.present) return undefined
  const value = typeof field.value === 'string' && /^-?\d+$/.test(field.value) ? Number(field.value) : field.value
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    field.error('TYPE', `must be an integer, got ${describe(field.value)}`)
    return undefined
  }
  const { min, max } = range
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const bounds = min !== undefined && max !== undefined ? `${min}..${max}` : min !== undefined ? `>= ${min}` : `<= ${max}`
    field.error('RANGE', range.rangeMessage ?? `must be in range ${bounds}, got ${value}`)
    return undefined
  }
  return value
}

export const UINT32_MAX = 4294967295

/** A protobuf uint32 (negative values are a type error in protobuf JSON). */
export function readUint32(field: Field, range: IntRange = {}): number | undefined {
  return readInt(field, { min: 0, max: UINT32_MAX, ...range })
}

export function readNumber(field: Field): number | undefined {
  if (!field.present) return undefined
  if (typeof field.value !== 'number' || !Number.isFinite(field.value)) {
    field.error('TYPE', `must be a number, got ${describe(field.value)}`)
    return undefined
  }
  return field.value
}

export function readEnum<T extends string>(field: Field, values: readonly T[]): T | undefined {
  const value = readString(field)
  if (value === undefined) return undefined
  if (!(values as readonly string[]).includes(value)) {
    field.error('ENUM', `"${value}" is not one of ${values.join(', ')}`)
    return undefined
  }
  return value as T
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return `${typeof value} ${String(value)}`
}

/** The known key nearest to a misspelt one (edit distance ≤ 2), for "did you mean". */
export function closestName(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}
