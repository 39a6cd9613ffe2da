import { compileRe2 } from '../../match/re2.js'

/** Istio rejects longer patterns (`validation.go` validateStringRegexp). */
export const MAX_REGEX_LENGTH = 1024

/**
 * Checks a pattern the way Istio does: RE2 syntax (no look-around, no back-references, which
 * JavaScript would accept) and at most 1024 characters. Returns an error message or undefined.
 */
export function checkRe2(pattern: string): string | undefined {
  // Rule sets made from templates repeat the same patterns; each is compiled once per process.
  const known = checked.get(pattern)
  if (known !== undefined) return known === true ? undefined : known
  const problem = compileProblem(pattern)
  if (checked.size >= MAX_CHECKED_PATTERNS) checked.clear()
  checked.set(pattern, problem ?? true)
  return problem
}

const checked = new Map<string, string | true>()
const MAX_CHECKED_PATTERNS = 10_000

function compileProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `regex must not exceed ${MAX_REGEX_LENGTH} characters (got ${pattern.length})`
  try {
    compileRe2(pattern)
    return undefined
  } catch (error) {
    return `"${pattern}" is not a valid RE2 regex: ${(error as Error).message.replace(/^error parsing regexp: /, '')} (RE2 has no look-around or back-references)`
  }
}
