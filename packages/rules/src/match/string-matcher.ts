import type { StringMatch } from '../spec/common.js'
import type { StringMatcher } from '../compile/snapshot.js'
import { equalsIgnoreAsciiCase, lowerAscii, startsWithIgnoreAsciiCase } from './ascii-case.js'
import { compileFullMatch } from './re2.js'

export interface StringMatcherOptions {
  /** ignoreUriCase: folds case for exact and prefix only; Envoy ignores it for safe_regex. */
  readonly ignoreCase?: boolean
}

/**
 * Istio's `{}` (no field set) and `regex: "*"` mean "present" (`route.go`
 * canBeConvertedToPresentMatch; `*` is not valid RE2, Istio turns it into present_match).
 */
export function isPresenceMatch(spec: StringMatch | null | undefined): boolean {
  if (spec === undefined || spec === null) return true
  return spec.exact === undefined && spec.prefix === undefined && (spec.regex === undefined || spec.regex === '*')
}

/** Compiles one StringMatch into a test that does no regex compile and no allocation per call. */
export function compileStringMatcher(spec: StringMatch | null | undefined, options: StringMatcherOptions = {}): StringMatcher {
  if (isPresenceMatch(spec)) return { kind: 'present', value: '', ignoreCase: false, test: () => true }
  const ignoreCase = options.ignoreCase === true
  if (spec!.exact !== undefined) {
    const value = spec!.exact
    if (!ignoreCase) return { kind: 'exact', value, ignoreCase, test: (input) => input === value }
    const lowered = lowerAscii(value)
    return { kind: 'exact', value, ignoreCase, test: (input) => equalsIgnoreAsciiCase(input, lowered) }
  }
  if (spec!.prefix !== undefined) {
    const value = spec!.prefix
    if (!ignoreCase) return { kind: 'prefix', value, ignoreCase, test: (input) => input.startsWith(value) }
    const lowered = lowerAscii(value)
    return { kind: 'prefix', value, ignoreCase, test: (input) => startsWithIgnoreAsciiCase(input, lowered) }
  }
  const value = spec!.regex!
  // Case folding never applies to regex (use (?i) in the pattern instead), as in Envoy.
  return { kind: 'regex', value, ignoreCase: false, test: compileFullMatch(value) }
}
