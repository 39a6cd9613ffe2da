import { RE2JS } from 're2js'

/**
 * Compiles an Istio regex once into a full-match test. Envoy's `safe_regex` is RE2 and must match
 * the whole value (reference §3), and RE2 runs in linear time, so a hostile header value cannot
 * stall the process the way a backtracking JavaScript RegExp could. The compiled program stays in
 * this closure: re2js keeps mutable caches on it, so it must never be frozen.
 */
export function compileFullMatch(pattern: string): (input: string) => boolean {
  let test = fullMatchTests.get(pattern)
  if (test === undefined) {
    const program = RE2JS.compile(pattern)
    test = (input) => program.testExact(input)
    if (fullMatchTests.size >= MAX_SHARED_PATTERNS) fullMatchTests.delete(fullMatchTests.keys().next().value!)
    fullMatchTests.set(pattern, test)
  }
  return test
}

/**
 * One compiled program per distinct pattern, shared by every route that uses it. Rule sets made
 * from templates repeat the same patterns across many VirtualServices; re2js keeps per-program
 * caches that are cold on first use, so 1,000 copies of one pattern cost far more per request than
 * one warm program (measured: ~8 µs vs ~0.1 µs per test). Sharing is safe because a test runs to
 * completion before another starts. Bounded so that reloads with ever-new patterns cannot grow it
 * without limit (oldest entry evicted first).
 */
const fullMatchTests = new Map<string, (input: string) => boolean>()
const MAX_SHARED_PATTERNS = 10_000

/** The compiled program itself, for substitutions (uriRegexRewrite). */
export function compileRe2(pattern: string): RE2JS {
  return RE2JS.compile(pattern)
}
