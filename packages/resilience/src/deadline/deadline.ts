/**
 * Deadlines are absolute times on the injected Clock's scale (milliseconds, monotonic), kept as plain
 * numbers so the per-request path allocates nothing for them. `undefined` means "no deadline", as an
 * Istio route without `timeout` has none (reference §6.1).
 */

/** The deadline `timeoutMs` after `nowMs`, or undefined when there is no timeout. */
export function deadlineAfter(nowMs: number, timeoutMs: number | undefined): number | undefined {
  return timeoutMs === undefined ? undefined : nowMs + timeoutMs
}

/** The earlier of two deadlines (either may be absent). */
export function earlierDeadline(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return a < b ? a : b
}

/** Milliseconds left before `deadlineMs`: Infinity with no deadline, never negative. */
export function remainingMs(deadlineMs: number | undefined, nowMs: number): number {
  if (deadlineMs === undefined) return Number.POSITIVE_INFINITY
  const left = deadlineMs - nowMs
  return left > 0 ? left : 0
}

/** True once `nowMs` has reached `deadlineMs`. */
export function isExpired(deadlineMs: number | undefined, nowMs: number): boolean {
  return deadlineMs !== undefined && nowMs >= deadlineMs
}
