import type { Random } from '@meshlet/core'
import { RETRY_DEFAULTS } from './policy.js'

/**
 * Envoy's fully jittered exponential backoff (router filter doc, "x-envoy-max-retries"): before
 * retry N (1-based) wait a whole number of milliseconds drawn uniformly from [0, (2^N − 1) × base),
 * the upper bound capped at `maxMs` (10 × base unless configured). Jitter spreads the retries of
 * callers that failed together instead of sending them back in lockstep.
 */
export function fullJitterBackoffMs(retry: number, baseMs: number, maxMs: number | undefined, random: Random): number {
  if (baseMs <= 0) return 0
  const capMs = maxMs !== undefined && maxMs >= baseMs ? maxMs : baseMs * RETRY_DEFAULTS.maxBackoffFactor
  const upperMs = Math.min((2 ** retry - 1) * baseMs, capMs)
  return Math.floor(random() * upperMs)
}
