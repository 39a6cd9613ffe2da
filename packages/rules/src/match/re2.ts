import type { RE2JS } from 're2js'
import { requirePackage } from '../internal/require-package.js'

let re2js: typeof RE2JS | undefined
/** re2js loads with the first regex compiled (see internal/require-package.ts). */
function re2(): typeof RE2JS {
  return (re2js ??= (requirePackage('re2js') as typeof import('re2js')).RE2JS)
}

/**
 * Compiles an Istio regex once into a full-match test. Envoy's `safe_regex` is RE2 and must match
 * the whole value (reference §3), and RE2 runs in linear time, so a hostile header value cannot
 * stall the process the way a backtracking JavaScript RegExp could. The compiled program stays in
 * this closure: re2js keeps mutable caches on it, so it must never be frozen.
 */
export function compileFullMatch(pattern: string): (input: string) => boolean {
  let test = fullMatchTests.get(pattern)
  if (test === undefined) {
    const program = re2().compile(pattern)
    const prefix = requiredLiteralPrefix(pattern)
    test = prefix === '' ? (input) => program.testExact(input) : (input) => input.startsWith(prefix) && program.testExact(input)
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
  return re2().compile(pattern)
}

const REGEX_SYNTAX = new Set(['\\', '.', '^', '$', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}'])
const QUANTIFIERS = new Set(['?', '*', '+', '{'])

/**
 * The literal text every full match must start with, or '' when there is none to be sure of: the
 * leading characters of the pattern before any regex syntax, without the last one when a quantifier
 * follows it. Patterns with an alternation anywhere are left alone. Checking it with startsWith
 * first rejects most non-matching paths without running RE2 (RE2 does the same prefix acceleration
 * internally), which matters when many regex routes are tried before the one that matches.
 */
export function requiredLiteralPrefix(pattern: string): string {
  if (pattern.includes('|')) return ''
  let end = 0
  while (end < pattern.length && !REGEX_SYNTAX.has(pattern[end]!)) end += 1
  if (end < pattern.length && QUANTIFIERS.has(pattern[end]!)) end -= 1
  return end > 0 ? pattern.slice(0, end) : ''
}
