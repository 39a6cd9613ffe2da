/**
 * Randomness is injected as a function returning a float in [0, 1), like Math.random, so weighted
 * picks, jitter and sampling are reproducible under a seed in tests.
 */
export type Random = () => number

export const systemRandom: Random = Math.random

/**
 * A small, fast seeded generator (mulberry32) for tests and simulations. Not for cryptography.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
