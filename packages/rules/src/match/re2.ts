import { RE2JS } from 're2js'

/**
 * Compiles an Istio regex once into a full-match test. Envoy's `safe_regex` is RE2 and must match
 * the whole value (reference §3), and RE2 runs in linear time, so a hostile header value cannot
 * stall the process the way a backtracking JavaScript RegExp could. The compiled program stays in
 * this closure: re2js keeps mutable caches on it, so it must never be frozen.
 */
export function compileFullMatch(pattern: string): (input: string) => boolean {
  const program = RE2JS.compile(pattern)
  return (input) => program.testExact(input)
}

/** The compiled program itself, for substitutions (uriRegexRewrite). */
export function compileRe2(pattern: string): RE2JS {
  return RE2JS.compile(pattern)
}
