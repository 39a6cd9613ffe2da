/**
 * Compares what a case expects with the decision explain() made, looking only at the fields the
 * case gives: maps are compared key by key (extra keys in the decision are ignored), lists item by
 * item with the same length, everything else by value. A key the decision does not have is a
 * mismatch too, so a misspelt field fails instead of passing unchecked.
 */

export interface Mismatch {
  /** Where in the decision, e.g. `selected.subset` or `destinations[1].weight`. */
  readonly path: string
  readonly expected: unknown
  readonly actual: unknown
  /** Set when the difference is not just a different value. */
  readonly note?: string
}

export interface CompareOptions {
  /** Expands a short host name the way the decision writes hosts (`reviews` → its FQDN). */
  readonly resolveHost: (host: string) => string
}

export function compareExpected(expected: unknown, actual: unknown, options: CompareOptions, path = ''): Mismatch[] {
  if (expected === null) return actual === null || actual === undefined ? [] : [{ path, expected, actual }]
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path, expected, actual, note: 'expected a list' }]
    if (actual.length !== expected.length) return [{ path, expected, actual, note: `expected ${expected.length} item(s), got ${actual.length}` }]
    return expected.flatMap((item, i) => compareExpected(item, actual[i], options, `${path}[${i}]`))
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [{ path, expected, actual, note: 'expected a map' }]
    return Object.entries(expected as Record<string, unknown>).flatMap(([key, value]) => {
      const at = path === '' ? key : `${path}.${key}`
      if (!(key in actual)) return [{ path: at, expected: value, actual: undefined, note: 'the decision has no such field' }]
      const got = (actual as Record<string, unknown>)[key]
      if (key === 'host' && typeof value === 'string' && typeof got === 'string') {
        return options.resolveHost(value) === got ? [] : [{ path: at, expected: value, actual: got }]
      }
      return compareExpected(value, got, options, at)
    })
  }
  return expected === actual ? [] : [{ path, expected, actual }]
}
